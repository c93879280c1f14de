/**
 * Defaults of the lender. Each is a trade-off between memory, latency and throughput; the reasons are given
 * so that a caller who changes one knows what it costs.
 */

/**
 * The reorder window, in items: the most items read from the input and not yet emitted. 1024 items of one
 * line each keep a root's memory small while leaving hundreds of volunteers (credit × children) busy; a
 * single slow item stalls reading once this many later items are done.
 */
export const DEFAULT_WINDOW = 1024

/**
 * How many more times an item is lent after the user's function failed on it. Two retries tell a
 * deterministic error (it fails everywhere) from a volunteer-specific one (out of memory, missing API)
 * without tripling the cost of every bad item.
 */
export const DEFAULT_RETRIES = 2

/**
 * The credit of a sub-stream, in items, when none is given: one item at a time, as pull-lend did, which is
 * safe for any borrower; batching borrowers ask for more.
 */
export const DEFAULT_CREDIT = 1

/**
 * First capacity, in slots, of the growable ring buffers (queues, reorder window). A power of two; they
 * double when full, so a small window costs little and a large one is allocated only when used.
 */
export const INITIAL_RING_CAPACITY = 16
