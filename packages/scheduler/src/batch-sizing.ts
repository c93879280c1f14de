import { systemClock, type LenderClock } from './clock.ts'
import { Deque } from './deque.ts'
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
const MIN_MS_PER_ITEM = 1e-6

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
 * would otherwise look cheap. The time it computed is told apart from the time jobs
 * and answers travel by the round trip: answers come back in the order the jobs were sent (FIFO, near
 * enough), and the borrower started on an answer's jobs half a round trip after the first of them was sent,
 * or when it finished the previous answer if that was later; it finished half a round trip before the answer
 * came. Without a round trip, travel counts as computing: a far borrower looks slow, and gets small batches
 * and too little credit to stay busy.
 */
// eslint-disable-next-line max-lines-per-function -- issue 19: adaptiveBatchSizing is still to be split
export function adaptiveBatchSizing(workers = 1, clock: LenderClock = systemClock): BatchSizing {
  let count = Math.max(1, workers)
  let batch = count
  /** Smoothed ms per item, as the answers are timed here; undefined until the first sample. */
  let timedMs: number | undefined
  /** Smoothed ms per item of one Worker, as the borrower's Workers timed them; undefined until it says. */
  let reportedMs: number | undefined
  /**
   * The borrower's time per item, all its Workers together, that sizes batches and credit: the larger of the
   * answers' timing and its Workers' own figure shared among them (honest for items that wait). Its Workers
   * run side by side: a Worker's 10 ms per item is 5 ms per item for a tab of 2 (taking the Worker's figure
   * whole halved what a tab of 2 Workers was lent, and left one idle).
   */
  const msPerItem = (): number | undefined => {
    const reported = reportedMs === undefined ? undefined : reportedMs / count
    if (timedMs === undefined) return reported
    return reported === undefined ? timedMs : Math.max(timedMs, reported)
  }
  const smooth = (smoothed: number | undefined, ms: number): number =>
    // Smoothed in log space: a sample ten times faster weighs as much as one ten times slower.
    smoothed === undefined ? ms : smoothed * (ms / smoothed) ** ADAPTIVE_SMOOTHING
  let roundTripMs = 0
  /** Jobs sent and not answered, by message, oldest first: when, and how many of its jobs are left. */
  const unanswered = new Deque<{ readonly at: number; left: number }>()
  /** When the borrower finished its last answer, by the estimate above; undefined while it holds nothing. */
  let finishedAt: number | undefined
  /** The current sample: computing time and answers. */
  let busyMs = 0
  let answers = 0
  const bounds = (): [number, number] => [count, ADAPTIVE_MAX_BATCH_PER_WORKER * count]
  const resize = (): void => {
    const ms = msPerItem() as number
    const [min, max] = bounds()
    const wanted = Math.round(ADAPTIVE_BATCH_MS / ms)
    batch = Math.min(max, ADAPTIVE_MAX_GROWTH * batch, Math.max(min, wanted))
  }
  const sample = (ms: number): void => {
    timedMs = smooth(timedMs, ms)
    resize()
  }
  /** Takes `answered` jobs off the oldest messages; returns when the first of them was sent. */
  const answer = (answered: number, now: number): number => {
    let firstSentAt = unanswered.peek()?.at ?? now
    for (let left = answered; left > 0;) {
      const oldest = unanswered.peek()
      if (oldest === undefined) break
      firstSentAt = Math.min(firstSentAt, oldest.at)
      const taken = Math.min(left, oldest.left)
      oldest.left -= taken
      left -= taken
      if (oldest.left === 0) unanswered.shift()
    }
    return firstSentAt
  }
  return {
    get batch() {
      return batch
    },
    get credit() {
      const [, max] = bounds()
      const ms = msPerItem()
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
      if (sentCount <= 0) return
      if (heldBefore === 0) {
        unanswered.clear()
        finishedAt = undefined
      }
      unanswered.push({ at: clock.now(), left: sentCount })
    },
    received(receivedCount, heldAfter) {
      if (receivedCount <= 0) return
      const now = clock.now()
      const firstSentAt = answer(receivedCount, now)
      const finished = now - roundTripMs / 2
      const started = Math.max(firstSentAt + roundTripMs / 2, finishedAt ?? Number.NEGATIVE_INFINITY)
      // Answers that came back within the round trip measured tell nothing of the borrower's speed: the
      // round trip was measured longer than it is (a busy machine's late event loops), and taking them as
      // free made a borrower holding more look faster, and earn more, without end.
      const tellsNothing = roundTripMs > 0 && finished <= started
      if (!tellsNothing) {
        busyMs += Math.max(0, finished - started)
        answers += receivedCount
      }
      finishedAt = Math.max(finished, finishedAt ?? Number.NEGATIVE_INFINITY)
      if (answers >= Math.max(1, batch / 2)) {
        sample(Math.max(MIN_MS_PER_ITEM, busyMs / answers))
        busyMs = 0
        answers = 0
      }
      if (heldAfter === 0) {
        unanswered.clear()
        finishedAt = undefined
      }
    },
    reported(ms) {
      if (!Number.isFinite(ms) || ms <= 0) return
      reportedMs = smooth(reportedMs, Math.max(MIN_MS_PER_ITEM, ms))
      resize()
    },
  }
}

/** The sizing `size` asks for. */
export function batchSizing(size: BatchSize, workers = 1, clock?: LenderClock): BatchSizing {
  return size === 'auto' ? adaptiveBatchSizing(workers, clock) : fixedBatchSizing(size, workers)
}
