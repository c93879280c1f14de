/**
 * Writes the JSON of an item's tuple straight into a buffer, as `,[n,h,"r",by]` (see `ItemsRecord`),
 * without building a string or an object per item: at hundreds of thousands of items a second, the strings
 * of `itemTupleJson` (and the garbage collections they caused) cost more than the rest of the journal.
 * The bytes are exactly those of `itemTupleJson`, so a journal reads back the same.
 */

/** The most bytes of `,[n,h,"` and `",` and `]` around the result and `by`: two 16-digit integers and 7. */
const TUPLE_FRAME_BYTES = 2 * 16 + 7 // eslint-disable-line no-restricted-syntax -- the record format's, not a tunable

/**
 * The most bytes `writeResultTuple` may write for a result of `chars` UTF-16 units and a `by` of `byBytes`
 * bytes: what the caller makes room for. A unit takes at most 3 bytes of UTF-8, or 6 as a JSON escape
 * (`\u001f`), the slow path's worst case.
 */
export function resultTupleBound(chars: number, byBytes: number): number {
  return TUPLE_FRAME_BYTES + 6 * chars + byBytes
}

/**
 * Writes `,[n,h,"r",by]` at `offset` of `target` (which has room for `resultTupleBound`) and returns the
 * offset past it. `n` and `h` are non-negative safe integers; `byJson` is `by` as JSON bytes. A result of
 * printable ASCII without `"` or `\` (the usual one) is copied as it is; any other goes through
 * `JSON.stringify` (escapes, lone surrogates) and UTF-8.
 */
export function writeResultTuple(
  target: Buffer,
  offset: number,
  n: number,
  h: number,
  r: string,
  byJson: Buffer,
): number {
  let at = offset
  target[at++] = 0x2c // ,
  target[at++] = 0x5b // [
  at = writeInteger(target, at, n)
  target[at++] = 0x2c
  at = writeInteger(target, at, h)
  target[at++] = 0x2c
  const start = at
  target[at++] = 0x22 // "
  let plain = true
  for (let i = 0; i < r.length; i++) {
    const c = r.charCodeAt(i)
    if (c < 0x20 || c > 0x7e || c === 0x22 || c === 0x5c) {
      plain = false
      break
    }
    target[at++] = c
  }
  if (plain) target[at++] = 0x22
  else at = start + target.write(JSON.stringify(r), start)
  target[at++] = 0x2c
  for (let i = 0; i < byJson.length; i++) target[at++] = byJson[i] as number
  target[at++] = 0x5d // ]
  return at
}

/** Writes the decimal digits of `value`, a non-negative safe integer, at `offset`; returns the offset past. */
function writeInteger(target: Buffer, offset: number, value: number): number {
  if (value < 1e8) return writeSmallInteger(target, offset, value)
  // Below 2^53, the high part has at most 8 digits: both parts in 32-bit integer arithmetic.
  const high = Math.floor(value / 1e8)
  const at = writeSmallInteger(target, offset, high)
  let low = value - high * 1e8
  for (let i = at + 7; i >= at; i--) {
    const quotient = (low / 10) | 0
    target[i] = 0x30 + low - quotient * 10
    low = quotient
  }
  return at + 8
}

/** Writes the digits of `value`, an integer below 10^8. */
function writeSmallInteger(target: Buffer, offset: number, value: number): number {
  let digits = 1
  while (digits < 8 && value >= (POWERS_OF_TEN[digits] as number)) digits++
  let rest = value
  for (let i = offset + digits - 1; i >= offset; i--) {
    const quotient = (rest / 10) | 0
    target[i] = 0x30 + rest - quotient * 10
    rest = quotient
  }
  return offset + digits
}

const POWERS_OF_TEN = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7]
