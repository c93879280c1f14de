import { ProtocolError } from './errors.ts'

/**
 * How far the run is, as the root tells the volunteer pages: sent down every link (`progress` on
 * `/volunteer` and on the tree's links) once per reporting interval, a few dozen bytes each, so that a tab
 * can show it; a tab passes it on to its children.
 */
export interface RunProgress {
  /** Items whose result is known. */
  readonly done: number
  /** Items in the run, once known (items given as arguments, or the input has ended); `null` before. */
  readonly total: number | null
}

function count(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new ProtocolError(`malformed progress: ${field} must be an integer ≥ 0`)
  }
  return value
}

/** Checks a `progress` message's fields. @throws {ProtocolError} */
export function checkRunProgress(message: Record<string, unknown>): RunProgress {
  const done = count(message.done, 'done')
  const total = message.total === null ? null : count(message.total, 'total')
  return { done, total }
}
