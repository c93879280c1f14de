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

/**
 * Speculation (ordered lenders): the head item of the reorder window is lent a second time once it has been
 * lent for this multiple of the high percentile of recent lend→success times. 4 × p95: an item that takes
 * four times longer than 95 % of its peers is far more likely on a slow or stalled volunteer than merely a
 * harder item, while normal variation (the other 5 %, up to 4 × p95) never costs a second computation.
 */
export const DEFAULT_SPECULATE_MULTIPLE = 4

/** The percentile of recent lend→success times the speculation threshold is a multiple of (0.95: p95). */
export const SPECULATE_PERCENTILE = 0.95

/**
 * The shortest wait, in ms, before the head item is lent a second time, whatever the times observed. For
 * items that take milliseconds, a late answer is far more often a pause than a straggler: a garbage
 * collection, a round trip or two through the tree, a batch queued behind another at a relay. 1 s keeps
 * copies (a volunteer's time and bandwidth) for real stalls.
 */
export const DEFAULT_SPECULATE_FLOOR_MS = 1_000

/**
 * The longest wait, in ms, before the head item is lent a second time, whatever the times observed. It
 * bounds the stall of the output when there are no times yet (nothing has succeeded) or when they are
 * long. Five minutes is ten heartbeats (a frozen tab is closed well before) and lets items of up to 75 s
 * (ceiling / multiple) be judged by their peers; a run whose items take longer each should raise it, or
 * every head item will be copied once it reaches the head.
 */
export const DEFAULT_SPECULATE_CEILING_MS = 300_000

/**
 * How many recent lend→success times the threshold is computed from, in items (a ring buffer: 2 KiB). 256
 * puts a dozen samples above the p95, enough for a stable estimate, and follows a change of pace (new
 * volunteers, harder input) within a few hundred items.
 */
export const DURATION_SAMPLES = 256

/**
 * New samples, in items, after which the threshold is computed again (a sort of at most 256 numbers).
 * Computing it for every item would cost more than lending it; the first samples are taken one by one.
 */
export const DURATION_REFRESH = 16

/**
 * The longest delay, in ms, a timer is set for: `setTimeout` takes a 32-bit signed delay and fires at once
 * above it. A longer wait is made of several checks.
 */
export const MAX_TIMER_DELAY_MS = 2_147_483_647
