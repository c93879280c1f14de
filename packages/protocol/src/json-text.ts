import { MessageTooLargeError, ProtocolError } from './errors.ts'
import { MAX_JSON_DEPTH } from './constants.ts'

const QUOTE = 0x22
const BACKSLASH = 0x5c
const OPEN_BRACKET = 0x5b
const OPEN_BRACE = 0x7b
const CLOSE_BRACKET = 0x5d
const CLOSE_BRACE = 0x7d

/** The index just past the string whose opening quote is at `start`, or `text.length` if it never ends. */
function endOfString(text: string, start: number): number {
  let quote = text.indexOf('"', start + 1)
  while (quote !== -1) {
    let backslashes = 0
    while (text.charCodeAt(quote - 1 - backslashes) === BACKSLASH) backslashes++
    if (backslashes % 2 === 0) return quote + 1
    quote = text.indexOf('"', quote + 1)
  }
  return text.length
}

/**
 * Whether `text` nests arrays and objects deeper than `maxDepth`, by one linear scan that skips strings
 * (with the native `indexOf`, so a message that is mostly results costs little). It does not check that
 * `text` is JSON: `JSON.parse` does that next, on text now known to be shallow.
 */
export function nestsDeeperThan(text: string, maxDepth: number): boolean {
  let depth = 0
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    if (code === QUOTE) i = endOfString(text, i) - 1
    else if (code === OPEN_BRACKET || code === OPEN_BRACE) {
      if (++depth > maxDepth) return true
    } else if (code === CLOSE_BRACKET || code === CLOSE_BRACE) depth--
  }
  return false
}

/**
 * Parses a peer's message, within bounds checked before any parsing: at most `maxChars` UTF-16 units (a
 * {@link MessageTooLargeError} otherwise) and at most {@link MAX_JSON_DEPTH} levels of nesting. The one
 * way every envelope from a peer is parsed.
 * @throws {ProtocolError} when it is too large, too deep or not JSON
 */
export function parseJsonText(text: string, maxChars: number): unknown {
  if (text.length > maxChars) {
    throw new MessageTooLargeError(`message too large: ${text.length} characters`)
  }
  if (nestsDeeperThan(text, MAX_JSON_DEPTH)) {
    throw new ProtocolError(`message nested too deep: more than ${MAX_JSON_DEPTH} levels`)
  }
  try {
    return JSON.parse(text) as unknown
  } catch {
    throw new ProtocolError('message is not JSON')
  }
}
