import { ProtocolError } from './errors.ts'

/**
 * A browser mark: a random token the root gives a volunteer page in its `welcome`, which the page keeps in
 * its storage (`localStorage`, shared by the tabs of one browser profile) and sends back in each `hello`, so
 * that the root knows a page it has seen before in this run: a page it excluded for its results stays
 * excluded when it reloads or reconnects (the scheduler's SPEC 56). A mark the root did not give in this run
 * (one from an earlier run, or made up) is ignored: the page gets a new one. A page that drops its storage
 * (a private window, cleared site data) cannot be told apart from a newcomer.
 */

/** The characters of a mark: URL-safe base64 (what `randomBytes(…).toString('base64url')` gives). */
const MARK_PATTERN = /^[\w-]{16,64}$/

/** A mark from a message, checked: 16 to 64 URL-safe characters. @throws {ProtocolError} */
export function browserMark(value: unknown, what: string): string {
  if (typeof value !== 'string' || !MARK_PATTERN.test(value)) throw new ProtocolError(`${what} is not a mark`)
  return value
}
