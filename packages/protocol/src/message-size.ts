import type { Job, Outcome } from './job.ts'
import { WIRE_ITEM_FRAME_CHARS } from './work-wire.ts'

/**
 * Characters JSON may have to escape: quotes, backslashes, control characters, and surrogates (a lone one
 * is written as `\uXXXX`). A string without any takes its length plus two quotes.
 */
// eslint-disable-next-line no-control-regex -- the control characters are what it looks for
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/

/** `JSON.stringify(value).length`, without stringifying a string that needs no escape (the common case). */
export function jsonStringLength(value: string): number {
  return NEEDS_ESCAPE.test(value) ? JSON.stringify(value).length : value.length + 2
}

/** An upper bound of the characters a job takes in a `jobs` message on the wire (see `toWire`). */
export function jobJsonLength(job: Job): number {
  const avoid = job.avoid === undefined ? 0 : tabIdsLength(job.avoid)
  return WIRE_ITEM_FRAME_CHARS + jsonStringLength(job.value) + avoid
}

/** An upper bound of the characters an outcome takes in an `outcomes` message on the wire. */
export function outcomeJsonLength(outcome: Outcome): number {
  const by = outcome.by === undefined ? 0 : tabIdsLength([outcome.by])
  return outcome.ok
    ? WIRE_ITEM_FRAME_CHARS + jsonStringLength(outcome.result) + by
    : JSON.stringify(outcome).length
}

/** An upper bound of the characters tab ids take on the wire (`tab-attribution.ts`): each quoted, framed. */
function tabIdsLength(ids: readonly string[]): number {
  let length = WIRE_ITEM_FRAME_CHARS
  for (const id of ids) length += jsonStringLength(id) + 1
  return length
}

/**
 * Cuts `items` into groups of at most `maxCount` items whose lengths (`lengthOf`, plus one for a comma
 * each) add up to at most `maxChars`. An item longer than `maxChars` on its own gets a group of its own:
 * the caller checks for it with `lengthOf` first if it cannot be sent.
 */
export function packByLength<T>(
  items: readonly T[],
  maxChars: number,
  lengthOf: (item: T) => number,
  maxCount = Number.POSITIVE_INFINITY,
): T[][] {
  const groups: T[][] = []
  let group: T[] = []
  let size = 0
  for (const item of items) {
    const length = lengthOf(item) + 1
    if (group.length > 0 && (size + length > maxChars || group.length >= maxCount)) {
      groups.push(group)
      group = []
      size = 0
    }
    group.push(item)
    size += length
  }
  if (group.length > 0) groups.push(group)
  return groups
}
