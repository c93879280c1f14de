import { systemClock, type LenderClock } from './clock.ts'
import { answerTiming } from './answer-timing.ts'
import { startSoonCredit } from './start-soon.ts'
import {
  ADAPTIVE_BATCH_MS,
  ADAPTIVE_MAX_BATCH_PER_WORKER,
  ADAPTIVE_MAX_GROWTH,
  ADAPTIVE_SMOOTHING,
  BATCHES_IN_FLIGHT,
} from './constants.ts'

/** Jobs per message to a remote borrower: a fixed number, or `'auto'` to follow the borrower's speed. */
export type BatchSize = number | 'auto'

/**
 * How many jobs a remote borrower gets per message, and how many it may hold (its credit): two batches per
 * worker, so one travels while the other computes, and with adaptive batches as many more as the round trip
 * to the borrower takes to compute. It hears what is sent and what comes back.
 */
export interface BatchSizing {
  /** Jobs per message now. */
  readonly batch: number
  /** What the borrower may hold now. */
  readonly credit: number
  /** The workers behind the borrower (a child's subtree) changed. */
  setWorkers(workers: number): void
  /** The round trip to the borrower, as last measured, in ms (0 until then). */
  setRoundTrip(ms: number): void
  /** `count` jobs were sent to a borrower that held `heldBefore`. */
  sent(count: number, heldBefore: number): void
  /** `count` outcomes came back, after which the borrower holds `heldAfter`. */
  received(count: number, heldAfter: number): void
  /**
   * The borrower's own time per item, in ms per worker, as its Workers timed them (see `WorkerFigures`): items
   * that wait (timers, fetches) overlap in a Worker, so answers timed here make them look cheap; this figure
   * does not. The sizing takes the larger of the two, so a borrower cannot make itself look faster by saying so.
   */
  reported(msPerItem: number): void
}

/** Answers faster than this (several in one clock tick) count as this fast, in ms per item. */
const MIN_MS_PER_ITEM = 1e-6 // eslint-disable-line no-restricted-syntax -- a guard against 0, not a tunable

const safeCredit = (credit: number): number => Math.min(Number.MAX_SAFE_INTEGER, Math.max(1, credit))

/** `size` jobs per message per worker, whatever the borrower's speed (`--batch-size N`). */
export function fixedBatchSizing(size: number, workers = 1): BatchSizing {
  let credit = safeCredit(BATCHES_IN_FLIGHT * size * Math.max(1, workers))
  return {
    batch: size,
    get credit() {
      return credit
    },
    setWorkers(count) {
      credit = safeCredit(BATCHES_IN_FLIGHT * size * Math.max(1, count))
    },
    setRoundTrip: () => undefined,
    sent: () => undefined,
    received: () => undefined,
    reported: () => undefined,
  }
}

/**
 * A batch that takes the borrower about `ADAPTIVE_BATCH_MS`: the borrower's time per item sets it, a
 * smoothed average of samples, each the time the borrower computed while at least half a batch of answers
 * came back (answers split over several messages make one sample). It starts at one job per worker, so that
 * slow items spread over every borrower, and grows at most `ADAPTIVE_MAX_GROWTH` times per sample while
 * answers come back fast; it shrinks without that bound when they slow down (some 30× in one sample when
 * items become 1,000× slower, the smoothing taking the rest). Bounded by one and
 * `ADAPTIVE_MAX_BATCH_PER_WORKER` jobs per worker.
 *
 * The credit is two batches, plus the jobs the borrower computes in one round trip (`setRoundTrip`), so that
 * it never waits for its next jobs however far it is, and never more than it will start soon
 * (`startSoonCredit`: a round trip hides at most `MAX_HIDDEN_ROUND_TRIP_MS`). The time per item is the larger
 * of the answers' timing and the borrower's own figure (`reported`): items that wait overlap in a Worker and
 * would otherwise look cheap. The time it computed is told apart from the time jobs and answers travel by the
 * round trip (`answerTiming`). Without a round trip, travel counts as computing: a far borrower looks slow,
 * and gets small batches and too little credit to stay busy.
 */
export function adaptiveBatchSizing(workers = 1, clock: LenderClock = systemClock): BatchSizing {
  let count = Math.max(1, workers)
  let batch = count
  let roundTripMs = 0
  const itemTime = itemTimeEstimate()
  const timing = answerTiming(clock)
  const bounds = (): [number, number] => [count, ADAPTIVE_MAX_BATCH_PER_WORKER * count]
  /** Sets the batch to `ADAPTIVE_BATCH_MS` of work, in bounds, at most `ADAPTIVE_MAX_GROWTH`× the last. */
  const resize = (): void => {
    const ms = itemTime.msPerItem(count) as number
    const [min, max] = bounds()
    const wanted = Math.round(ADAPTIVE_BATCH_MS / ms)
    batch = Math.min(max, ADAPTIVE_MAX_GROWTH * batch, Math.max(min, wanted))
  }
  return {
    get batch() {
      return batch
    },
    get credit() {
      const [, max] = bounds()
      const ms = itemTime.msPerItem(count)
      const inRoundTrip = ms === undefined ? 0 : Math.ceil(roundTripMs / ms)
      const wanted = BATCHES_IN_FLIGHT * batch + Math.min(BATCHES_IN_FLIGHT * max, inRoundTrip)
      // What each Worker starts soon is counted in its own time per item: the borrower's, times its Workers.
      const perWorkerMs = ms === undefined ? undefined : ms * count
      return safeCredit(Math.min(wanted, startSoonCredit(count, perWorkerMs, roundTripMs)))
    },
    setWorkers(workersNow) {
      count = Math.max(1, workersNow)
      const [min, max] = bounds()
      batch = Math.min(max, Math.max(min, batch))
    },
    setRoundTrip(ms) {
      roundTripMs = Number.isFinite(ms) && ms > 0 ? ms : 0
    },
    sent(sentCount, heldBefore) {
      timing.sent(sentCount, heldBefore)
    },
    received(receivedCount, heldAfter) {
      const sample = timing.received(receivedCount, heldAfter, roundTripMs, batch)
      if (sample === undefined) return
      itemTime.timed(Math.max(MIN_MS_PER_ITEM, sample))
      resize()
    },
    reported(ms) {
      if (!Number.isFinite(ms) || ms <= 0) return
      itemTime.reported(Math.max(MIN_MS_PER_ITEM, ms))
      resize()
    },
  }
}

/** A borrower's time per item, from two sources, each smoothed over its samples. */
interface ItemTimeEstimate {
  /** A sample of the answers' timing (`answerTiming`), in ms per item of the whole borrower. */
  timed(ms: number): void
  /** A sample of the borrower's own figure, in ms per item of one of its Workers (`BatchSizing.reported`). */
  reported(ms: number): void
  /**
   * The borrower's time per item, all its `workers` together, that sizes batches and credit: the larger of
   * the answers' timing and its Workers' own figure shared among them (honest for items that wait). Its
   * Workers run side by side: a Worker's 10 ms per item is 5 ms per item for a tab of 2 (taking the Worker's
   * figure whole halved what a tab of 2 Workers was lent, and left one idle). Undefined until either has a
   * sample.
   */
  msPerItem(workers: number): number | undefined
}

/** Creates an {@link ItemTimeEstimate} with no samples. */
function itemTimeEstimate(): ItemTimeEstimate {
  /** Smoothed ms per item, as the answers are timed here; undefined until the first sample. */
  let timedMs: number | undefined
  /** Smoothed ms per item of one Worker, as the borrower's Workers timed them; undefined until it says. */
  let reportedMs: number | undefined
  return {
    timed(ms) {
      timedMs = smooth(timedMs, ms)
    },
    reported(ms) {
      reportedMs = smooth(reportedMs, ms)
    },
    msPerItem(workers) {
      const reported = reportedMs === undefined ? undefined : reportedMs / workers
      if (timedMs === undefined) return reported
      return reported === undefined ? timedMs : Math.max(timedMs, reported)
    },
  }
}

/** Adds the sample `ms` to the average `smoothed` (undefined before the first sample). */
function smooth(smoothed: number | undefined, ms: number): number {
  // Smoothed in log space: a sample ten times faster weighs as much as one ten times slower.
  return smoothed === undefined ? ms : smoothed * (ms / smoothed) ** ADAPTIVE_SMOOTHING
}

/** The sizing `size` asks for. */
export function batchSizing(size: BatchSize, workers = 1, clock?: LenderClock): BatchSizing {
  return size === 'auto' ? adaptiveBatchSizing(workers, clock) : fixedBatchSizing(size, workers)
}
