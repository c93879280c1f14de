import { ProtocolError } from './errors.ts'

/**
 * Stealing, on a volunteer WebSocket and on tree links alike: a lender asks a borrower for items it has not
 * started (`recall`), and a borrower gives back items it was lent and will not compute (`return`), asked or
 * not (a paused tab gives back all it holds). A returned item is not a failure: the lender lends it again
 * first. An id the borrower did not hold is ignored and counted, as a stray outcome is.
 */

/** Root → volunteer, parent → child: "give back up to `count` items you have not started". */
export interface RecallMessage {
  readonly type: 'recall'
  /** An integer ≥ 1. */
  readonly count: number
}

/** Volunteer → root, child → parent: "these items I was lent and will not compute; lend them elsewhere". */
export interface ReturnMessage {
  readonly type: 'return'
  /** Job ids, each a safe integer ≥ 0; may be empty (a recall it could not answer with any item). */
  readonly ids: readonly number[]
}

const isId = (value: unknown): value is number =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= 0

/** Checks a `recall` message received (parsed from JSON). @throws {ProtocolError} */
export function recallFromWire(message: Record<string, unknown>): RecallMessage {
  const { count } = message
  if (typeof count !== 'number' || !Number.isSafeInteger(count) || count < 1)
    throw new ProtocolError('malformed recall: count must be an integer ≥ 1')
  return { type: 'recall', count }
}

/** Checks a `return` message received (parsed from JSON). @throws {ProtocolError} */
export function returnFromWire(message: Record<string, unknown>): ReturnMessage {
  const { ids } = message
  if (!Array.isArray(ids) || !ids.every(isId))
    throw new ProtocolError('malformed return: ids must be an array of job ids')
  return { type: 'return', ids }
}

/**
 * The `msPerItem` of an `outcomes` message received: the sender's own time per item (its Workers' honest
 * figure, see the scheduler's `BatchSizing.reported`), or `undefined` when it gave none. @throws {ProtocolError}
 */
export function msPerItemFromWire(message: Record<string, unknown>): number | undefined {
  const { msPerItem } = message
  if (msPerItem === undefined) return undefined
  if (typeof msPerItem !== 'number' || !Number.isFinite(msPerItem) || msPerItem < 0)
    throw new ProtocolError('malformed outcomes: msPerItem must be a number ≥ 0')
  return msPerItem
}

/** `outcomes` with the `msPerItem` of the received `message`, if it has one. @throws {ProtocolError} */
export function withMsPerItem<M extends { readonly type: 'outcomes' }>(
  outcomes: M,
  message: Record<string, unknown>,
): M & { readonly msPerItem?: number } {
  const msPerItem = msPerItemFromWire(message)
  return msPerItem === undefined ? outcomes : { ...outcomes, msPerItem }
}
