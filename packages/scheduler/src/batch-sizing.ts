import { systemClock, type LenderClock } from './clock.ts'
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
 * worker, so one travels while the other computes. It hears what is sent and what comes back.
 */
export interface BatchSizing {
  /** Jobs per message now. */
  readonly batch: number
  /** What the borrower may hold now. */
  readonly credit: number
  /** The workers behind the borrower (a child's subtree) changed. */
  setWorkers(workers: number): void
  /** `count` jobs were sent to a borrower that held `heldBefore`. */
  sent(count: number, heldBefore: number): void
  /** `count` outcomes came back, after which the borrower holds `heldAfter`. */
  received(count: number, heldAfter: number): void
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
    sent: () => undefined,
    received: () => undefined,
  }
}

/**
 * A batch that takes the borrower about `ADAPTIVE_BATCH_MS`: the borrower's time per item sets it, a
 * smoothed average of samples, each the time over which at least half a batch of answers came back while it
 * held jobs (answers split over several messages make one sample). It starts at one job per worker, so that
 * slow items spread over every borrower, and grows at most `ADAPTIVE_MAX_GROWTH` times per sample while
 * answers come back fast; it shrinks without that bound when they slow down (some 30× in one sample when
 * items become 1,000× slower, the smoothing taking the rest). With two batches in flight, a borrower
 * whose round trip is under two batch times grows and one whose round trip is longer shrinks, until one batch
 * computes while the other travels. Bounded by one and `ADAPTIVE_MAX_BATCH_PER_WORKER` jobs per worker.
 */
export function adaptiveBatchSizing(workers = 1, clock: LenderClock = systemClock): BatchSizing {
  let count = Math.max(1, workers)
  let batch = count
  /** Smoothed ms per item; undefined until the first sample. */
  let msPerItem: number | undefined
  /** When the current sample started: an answer, or a send to an idle borrower; undefined while idle. */
  let since: number | undefined
  /** Answers in the current sample. */
  let answers = 0
  const bounds = (): [number, number] => [count, ADAPTIVE_MAX_BATCH_PER_WORKER * count]
  const sample = (now: number, start: number): void => {
    // Smoothed in log space: a sample ten times faster weighs as much as one ten times slower.
    const ms = Math.max(MIN_MS_PER_ITEM, (now - start) / answers)
    msPerItem = msPerItem === undefined ? ms : msPerItem * (ms / msPerItem) ** ADAPTIVE_SMOOTHING
    const [min, max] = bounds()
    const wanted = Math.round(ADAPTIVE_BATCH_MS / msPerItem)
    batch = Math.min(max, ADAPTIVE_MAX_GROWTH * batch, Math.max(min, wanted))
  }
  return {
    get batch() {
      return batch
    },
    get credit() {
      return safeCredit(BATCHES_IN_FLIGHT * batch)
    },
    setWorkers(workersNow) {
      count = Math.max(1, workersNow)
      const [min, max] = bounds()
      batch = Math.min(max, Math.max(min, batch))
    },
    sent(sentCount, heldBefore) {
      if (sentCount > 0 && heldBefore === 0) {
        since = clock.now()
        answers = 0
      }
    },
    received(receivedCount, heldAfter) {
      if (since === undefined) return
      answers += receivedCount
      const now = clock.now()
      if (answers >= Math.max(1, batch / 2)) {
        sample(now, since)
        since = now
        answers = 0
      }
      if (heldAfter === 0) since = undefined
    },
  }
}

/** The sizing `size` asks for. */
export function batchSizing(size: BatchSize, workers = 1, clock?: LenderClock): BatchSizing {
  return size === 'auto' ? adaptiveBatchSizing(workers, clock) : fixedBatchSizing(size, workers)
}
