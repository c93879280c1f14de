import { ProtocolError } from './errors.ts'
import { parseJsonText } from './json-text.ts'

/** A message's fields, parsed from JSON and not yet checked. */
export type Json = Record<string, unknown>

/** Whether `value` is a JSON object (not null, not an array). */
export function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/**
 * Parses a message of a channel whose messages all say their `type` (`/volunteer`, the root link), within
 * `parseJsonText`'s bounds: `maxChars` UTF-16 units (at most 3 bytes of UTF-8 each, so a bound in bytes is
 * a safe and cheap one in characters) and `MAX_JSON_DEPTH`. A `type` that is not a string (say an object
 * with a `toString` of its own that is not a function) never reaches `String()` in the callers' error
 * messages: that would throw a TypeError, not a ProtocolError.
 * @throws {ProtocolError} when too large, too deep, not JSON, or not an object with a string `type`
 */
export function parseEnvelope(data: string, maxChars: number): Json {
  const parsed = parseJsonText(data, maxChars)
  if (!isRecord(parsed) || typeof parsed.type !== 'string') throw new ProtocolError('message has no type')
  return parsed
}
