import {
  formatResult,
  itemTimeoutError,
  serializeError,
  ItemTimeoutRule,
  type Job,
  type Outcome,
  type ProcessFunction,
} from '@pando/protocol'
import type { Lender } from '@pando/scheduler'
import pull, { type Through } from 'pull-stream'
import type { DurationValue } from './duration.ts'
import { LOCAL_YIELD_INTERVAL_MS } from './constants.ts'

/** The name of the local sub-stream, for the lender's diagnostics. */
export const LOCAL_WORKER_NAME = 'local'

/** What became of an item that missed the deadline here, for its `ItemTimeoutError`. */
const GIVEN_UP = 'the item was given up on (a late result is ignored)'

export interface LocalWorkerOptions {
  /**
   * The item deadline (`--item-timeout`), in ms or relative to the median item time (`300%`): an item whose
   * promise or callback has not settled this long after it started fails with an `ItemTimeoutError`, as on a
   * volunteer; 0 for none. A synchronous endless loop is beyond its reach: it holds the only thread, the
   * deadline's timer with it.
   * @default 0
   */
  readonly itemTimeout?: DurationValue
  /** Aborted when the run ends: the deadline of an item still running is cleared, and keeps nothing alive. */
  readonly signal?: AbortSignal
}

/**
 * A borrower that runs the user's function in this process, one item at a time, like one volunteer's
 * Worker: batches of jobs in, batches of outcomes out. A failure of the function is an outcome, never a
 * stream error, so the lender can retry the item.
 */
export function localWorker(
  process: ProcessFunction,
  options: LocalWorkerOptions = {},
): Through<Job[], Outcome[]> {
  const deadline = new LocalDeadline(options.itemTimeout ?? 0)
  options.signal?.addEventListener('abort', () => deadline.stop(), { once: true })
  return pull.asyncMap((jobs: Job[], cb) => {
    processBatch(process, jobs, deadline).then(
      (outcomes) => cb(null, outcomes),
      (error: unknown) => cb(error instanceof Error ? error : new Error(String(error))),
    )
  })
}

/**
 * Lends `lender`'s items, one at a time, to the function in this process (`--local`, `--no-start-idle`),
 * under the item deadline. Returns what stops it: the deadline of an item still running is cleared.
 */
export function lendLocally(
  lender: Lender,
  process: ProcessFunction,
  itemTimeout: DurationValue,
): () => void {
  const worker = lender.lendStream({ credit: 1, name: LOCAL_WORKER_NAME })
  const ended = new AbortController()
  pull(worker.source, localWorker(process, { itemTimeout, signal: ended.signal }), worker.sink)
  return () => ended.abort()
}

let lastYield = performance.now()

async function processBatch(
  process: ProcessFunction,
  jobs: readonly Job[],
  deadline: LocalDeadline,
): Promise<Outcome[]> {
  const outcomes: Outcome[] = []
  for (const job of jobs) {
    if (performance.now() - lastYield >= LOCAL_YIELD_INTERVAL_MS) {
      await new Promise((resolve) => setImmediate(resolve))
      lastYield = performance.now()
    }
    outcomes.push(await processJob(process, job, deadline))
  }
  return outcomes
}

/** What {@link LocalDeadline.race} gives for work that missed the deadline. */
const TIMED_OUT: unique symbol = Symbol('timed out')

/**
 * The item deadline of the local worker, which runs one item at a time. One timer watches the running item,
 * set again only when it fires early (a timer per item cost as much as a trivial item). The timer keeps the
 * process alive while an item runs, since a promise that never settles holds nothing that would (the run
 * would end before the deadline, its item unsettled); `stop()` clears it. A relative deadline (`300%`)
 * measures each item that settles.
 */
export class LocalDeadline {
  readonly #deadline: ItemTimeoutRule
  #timer: ReturnType<typeof setTimeout> | undefined
  /** When the timer fires (`performance.now()` time): set again sooner when the deadline shrinks. */
  #timerAt = Infinity
  /** The running item: when it started, and how to give it up. */
  #running: { readonly startedAt: number; readonly giveUp: () => void } | undefined
  #stopped = false

  constructor(timeout: DurationValue) {
    this.#deadline = new ItemTimeoutRule(timeout)
  }

  /** The deadline now, in ms; 0 (or less) for none: `race` then waits as long as the work takes. */
  get timeoutMs(): number {
    return this.#deadline.ms
  }

  /**
   * Starts `work` and gives its result, or {@link TIMED_OUT} if that has not come `timeoutMs` after the start
   * (a late result is ignored). What `work` does synchronously counts, but cannot be cut short.
   */
  race<T>(work: () => Promise<T>): Promise<T | typeof TIMED_OUT> {
    if (this.timeoutMs <= 0 || this.#stopped) return work()
    return new Promise((resolve, reject) => {
      const running = { startedAt: performance.now(), giveUp: () => resolve(TIMED_OUT) }
      const settled = (): void => {
        if (this.#running !== running) return
        this.#running = undefined
        this.#deadline.measure(performance.now() - running.startedAt)
      }
      this.#running = running
      this.#watch(running.startedAt + this.timeoutMs)
      let result: Promise<T>
      try {
        result = work()
      } catch (error) {
        settled()
        reject(error)
        return
      }
      result.then(
        (value) => {
          settled()
          resolve(value)
        },
        (error: unknown) => {
          settled()
          reject(error)
        },
      )
    })
  }

  /** The run has ended: the running item's timer is cleared, and no item gets one any more. Idempotent. */
  stop(): void {
    this.#stopped = true
    this.#running = undefined
    clearTimeout(this.#timer)
    this.#timer = undefined
  }

  /** Makes the timer fire by `at` (one timer for every item: it is set again only to fire sooner). */
  #watch(at: number): void {
    if (this.#timer !== undefined && this.#timerAt <= at) return
    clearTimeout(this.#timer)
    this.#timerAt = at
    this.#timer = setTimeout(() => this.#check(), Math.max(0, at - performance.now()))
  }

  /** The timer fired: the running item is given up if it is past the deadline, else watched on. */
  #check(): void {
    this.#timer = undefined
    const running = this.#running
    if (running === undefined || this.#stopped) return
    const at = running.startedAt + this.timeoutMs
    if (at > performance.now()) {
      this.#watch(at)
      return
    }
    this.#running = undefined
    running.giveUp()
  }
}

const NO_DEADLINE = new LocalDeadline(0)

/**
 * Runs the function on one job; its result is formatted as an output line, its error serialized. A job whose
 * result misses the `deadline` fails with an `ItemTimeoutError`.
 */
export async function processJob(
  process: ProcessFunction,
  job: Job,
  deadline: LocalDeadline = NO_DEADLINE,
): Promise<Outcome> {
  try {
    const result = await deadline.race(() => process(job.value))
    if (result === TIMED_OUT) {
      return { id: job.id, ok: false, error: itemTimeoutError(deadline.timeoutMs, GIVEN_UP) }
    }
    return { id: job.id, ok: true, result: formatResult(result) }
  } catch (error) {
    return { id: job.id, ok: false, error: serializeError(error) }
  }
}
