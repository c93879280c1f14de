/**
 * Defaults of the lender. Each is a trade-off between memory, latency and throughput; the reasons are given
 * so that a caller who changes one knows what it costs.
 */

/**
 * The reorder window, in items: the most items read from the input and not yet emitted. A single slow item
 * stalls reading once this many later items are done. 32,768 items of one line each take a few MB, and
 * leave room for the credit of fast volunteers (`ADAPTIVE_MAX_BATCH_PER_WORKER`: a tab computing 100,000
 * trivial items/s holds some 10,000) or of hundreds of slower ones.
 */
export const DEFAULT_WINDOW = 32_768

/** Batches a remote borrower holds per worker: one computing while the other travels. */
export const BATCHES_IN_FLIGHT = 2

/**
 * The batch time: how much of a borrower's work one adaptive batch carries, in ms. Each message costs far
 * more than its bytes: some milliseconds of CPU outside the Workers (the root, the page, node-datachannel,
 * Chromium's network and WebRTC threads), taken from the Workers when they share the cores. Measured on 2
 * cores (`npm run bench -- --only workers`, bench/README.md, 1 tab of 2 Workers, 10 ms items): 4.1 ms of CPU
 * outside the Workers per item at 20 ms, 2.9–3.7 ms at 50, 100 and 200 ms, what is left being the Workers'
 * progress messages and the per-second costs. 100 ms makes a message's cost small beside its work (10 ms
 * items go ten to a batch) and hides a round trip of up to a batch time on its own, while items of 50 ms or
 * more still go one or two per batch and spread over every volunteer. Trivial items are bounded by
 * `ADAPTIVE_MAX_BATCH_PER_WORKER` first. What a borrower may hold is bounded apart from it: `START_SOON_MS`.
 */
export const ADAPTIVE_BATCH_MS = 100

/**
 * The start-soon horizon of a remote borrower, in ms of its work per Worker (SPEC 50, no hoarding,
 * `startSoonCredit`): the batches in flight (one computing, one travelling), and nothing more but the round
 * trip they hide. A Worker holding more than this would hold work another volunteer could start now. Items
 * of 1 s still go two per Worker (a batch is at least one item), and at the end of a run what a tab holds
 * and has not started is at most one batch time per Worker, which stealing (49) takes back for an idle one.
 */
export const START_SOON_MS = BATCHES_IN_FLIGHT * ADAPTIVE_BATCH_MS

/**
 * Largest adaptive batch, in jobs per worker behind a borrower: 4,096 trivial items take a fast tab some
 * 20–40 ms; more would only add memory and latency.
 */
export const ADAPTIVE_MAX_BATCH_PER_WORKER = 4_096

/**
 * Most an adaptive batch grows per sample (shrinking has no such bound): from 1 to the maximum in 6 samples.
 */
export const ADAPTIVE_MAX_GROWTH = 4

/**
 * Weight of a new sample in the smoothed time per item of an adaptive batch (in log space): a half, so that
 * one slow sample (a garbage collection) halves no batch, while a lasting change is followed in a few.
 */
export const ADAPTIVE_SMOOTHING = 0.5

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

/**
 * What a remote borrower that has answered nothing yet may hold, in items, whatever its batch or the workers
 * it reports: a peer that takes items and never answers (a hoarder) then pins one, not a batch per worker it
 * claims, and a crowd of them that joined first leaves items for the honest borrowers that joined after, so
 * that some item succeeds and the straggler copy (37) can work. Each item it answers adds
 * `EARNED_CREDIT_PER_ANSWER` to what it may hold (`earnedCredit`).
 */
export const UNPROVEN_CREDIT = 1

/**
 * What each item a remote borrower answers adds to the most it may hold: 4, so an honest peer's credit grows
 * some fivefold per round trip (from 1 to 10,000 items in six) until its batch sizing, not trust, is what
 * limits it, while a peer that stops answering holds at most four times the work it did.
 */
export const EARNED_CREDIT_PER_ANSWER = 4

/**
 * A sub-stream is dropped (closed with a reason, what it holds lent again) once this many items it failed
 * succeeded elsewhere, if that is more than it succeeded itself: its failures are its own (a tab missing an
 * API, a liar), not the items'. Three tell a pattern from a volunteer's bad luck with one or two items.
 */
export const DISCREDIT_AFTER_DISPROVED = 3

/**
 * The longest round trip, in ms, a remote borrower's credit hides (see `startSoonCredit`): a borrower farther
 * than this waits a little between batches, rather than hold work others could start. Round trips measured
 * on a busy machine grow to seconds (every event loop behind them is late), and credit to cover them let one
 * tab hold a hundred items of 1 s while others idled; half a second covers any volunteer on a real network.
 */
export const MAX_HIDDEN_ROUND_TRIP_MS = 500

/**
 * A volunteer outvoted this many times, and on more than `EXCLUDE_OUTVOTED_SHARE` of the items it took part
 * in, is excluded (SPEC 56): one disagreement may be a fault of the vote (two liars agreeing), two are a habit.
 */
export const EXCLUDE_AFTER_OUTVOTED = 2

/** The share of its judged items a volunteer may be outvoted on and stay. */
export const EXCLUDE_OUTVOTED_SHARE = 0.1

/**
 * Adaptive replication (SPEC 58): a volunteer whose answers were agreed on this many items, and never
 * outvoted, is trusted: an item it answers is taken on its word, but for random re-checks.
 */
export const TRUSTED_AFTER_AGREED = 10

/** Adaptive replication: the share of a trusted volunteer's answers that are checked all the same. */
export const TRUSTED_RECHECK_SHARE = 0.1

/**
 * The most copies of one item (`--max-replicas`): each copy is a job of its own to the lender, with the id
 * `item × COPY_SLOTS + copy`, so an item's copies never share an id on any node of the tree.
 */
export const COPY_SLOTS = 64
