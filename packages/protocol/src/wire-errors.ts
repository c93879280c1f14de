// The names of the errors Pando itself gives an item (as `SerializedError.name`, on the wire and in the
// output), one home for each: code compares `error.name` with these, never with a string literal.

/** An item gave no result within the item deadline (`--item-timeout`); see `itemTimeoutError`. */
export const ITEM_TIMEOUT_ERROR = 'ItemTimeoutError'

/**
 * An item or result larger than `MAX_LINK_ITEM_CHARS`: a limit of the transport, not a failure of the
 * function. The item is not lent (or its result not sent) but fails at once, not retried.
 */
export const TRANSPORT_LIMIT_ERROR = 'TransportLimitError'

/** An item whose result is larger than the limit (`--max-result-size`). */
export const RESULT_TOO_LARGE_ERROR = 'ResultTooLargeError'

/**
 * A job of a batch the volunteer's Worker was running when it reported an uncaught error: the rest of the
 * batch cannot be attributed item by item, and the Worker is replaced.
 */
export const WORKER_CRASH_ERROR = 'WorkerCrashError'

/** An item whose copies never reached a quorum within `--max-replicas` (see the scheduler's SPEC 55). */
export const DISAGREEMENT_ERROR = 'DisagreementError'

/** Every name above: the errors Pando gives items, as opposed to those the user's function throws. */
export const WIRE_ERROR_NAMES = [
  ITEM_TIMEOUT_ERROR,
  TRANSPORT_LIMIT_ERROR,
  RESULT_TOO_LARGE_ERROR,
  WORKER_CRASH_ERROR,
  DISAGREEMENT_ERROR,
] as const

/** The name of an error Pando gives an item. */
export type WireErrorName = (typeof WIRE_ERROR_NAMES)[number]
