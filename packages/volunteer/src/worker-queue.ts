import {
  ItemTimeoutRule,
  serializeError,
  type Job,
  type Outcome,
  type SerializedError,
} from '@pando/protocol'
import { STUCK_WORKER_PING_MS } from './constants.ts'
import { ItemDeadline, itemTimeoutOutcome } from './item-deadline.ts'
import type { BatchResult } from './worker-api.ts'
import { WorkerClient } from './worker-client.ts'
import { NO_FIGURES, ownTimePerItem, type WorkerFigures } from './worker-figures.ts'

export interface WorkerQueueOptions {
  /** Absolute URL of the user's bundle. */
  readonly bundleUrl: string
  /**
   * The item deadline, in ms (`RunConfig.itemTimeoutMs`): a Worker that finishes no item for this long
   * while it holds some is terminated and replaced. 0 disables it.
   */
  readonly itemTimeoutMs: number
  /**
   * A relative item deadline (`RunConfig.itemTimeoutPercent`, `--item-timeout 300%`): that percentage of the
   * median time of the items this queue's Workers timed, by the rule of `ItemTimeoutRule`, instead of
   * `itemTimeoutMs`.
   */
  readonly itemTimeoutPercent?: number | undefined
}

/** What a queue reports to the page. */
export interface WorkerQueueEvents {
  /**
   * Outcomes to send to the root: each once, as the Worker reports them during a batch and at its end; at
   * its end, with the Worker's own time per item over the batch (`WorkerFigures.ownTime`), when it timed any.
   */
  onOutcomes: (outcomes: Outcome[], msPerItem?: number) => void
  /** The Worker started a batch (`true`) or has nothing left to do (`false`). */
  onBusy: (busy: boolean) => void
  /** The module could not be loaded; every job will be answered with this error. */
  onLoadError: (error: SerializedError) => void
  /** The Worker's monitoring figures, after each batch (just before its last outcomes). */
  onFigures?: (figures: WorkerFigures) => void
}

/** Collaborators, injectable for tests. */
export interface WorkerQueueComponents {
  startWorker: (bundleUrl: string) => Promise<WorkerClient>
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * The work of one connection: a Worker with the module loaded, the queue of jobs the root lent, and the loop
 * that feeds the Worker all queued jobs as one batch whenever it is free. A queue ends with its
 * connection; jobs it still holds are dropped (the root lends them again).
 *
 * The item deadline: when the Worker finishes no item for `itemTimeoutMs` while it runs a batch, it is
 * terminated, and replaced before the next batch. Outcomes it sent meanwhile stand. If it still answers a
 * ping, its pending items were waiting: each fails with an `ItemTimeoutError`. If it does not, it is stuck in
 * synchronous code, and only a lone pending item can be blamed: several (whose results could not get out)
 * run again one batch each, so that the one stuck fails alone and the others are not failed with it. A
 * relative deadline (`itemTimeoutPercent`) is taken anew for each batch from the items timed so far: each
 * batch counts its items at the Worker's own time per item (`WorkerFigures.ownTime`).
 */
export class WorkerQueue {
  readonly #options: WorkerQueueOptions
  readonly #events: WorkerQueueEvents
  readonly #components: WorkerQueueComponents
  readonly #timeout: ItemTimeoutRule
  readonly #queue: Job[] = []
  /** Jobs pending in a Worker that got stuck, with others: each runs again alone, before the queue. */
  readonly #suspects: Job[] = []
  /** Jobs of the batch the Worker is running. */
  #inBatch = 0
  #worker: Promise<WorkerClient> | undefined
  #loadError: SerializedError | undefined
  #running = false
  #closed = false

  constructor(
    options: WorkerQueueOptions,
    events: WorkerQueueEvents,
    components?: Partial<WorkerQueueComponents>,
  ) {
    this.#options = options
    this.#timeout = new ItemTimeoutRule(
      options.itemTimeoutPercent === undefined
        ? options.itemTimeoutMs
        : { percent: options.itemTimeoutPercent },
    )
    this.#events = events
    this.#components = { startWorker: (url) => WorkerClient.start(url), ...components }
  }

  /** Starts the Worker and loads the module; jobs that arrive meanwhile wait in the queue. */
  start(): void {
    this.#worker = this.#spawn()
    // Surface a load failure at once, not only when the first jobs arrive.
    this.#worker.catch(() => undefined)
    void this.#pump()
  }

  #setLoadError(error: unknown): SerializedError {
    if (this.#loadError === undefined) {
      this.#loadError = serializeError(error)
      if (!this.#closed) this.#events.onLoadError(this.#loadError)
    }
    return this.#loadError
  }

  /** Jobs held: queued, to run again, or in the batch the Worker runs. */
  get held(): number {
    return this.#closed ? 0 : this.#queue.length + this.#suspects.length + this.#inBatch
  }

  /** Queues jobs lent by the root. */
  add(jobs: readonly Job[]): void {
    if (this.#closed) return
    this.#queue.push(...jobs)
    void this.#pump()
  }

  /** Ends the queue: the Worker is terminated and queued jobs are dropped. Idempotent. */
  close(): void {
    if (this.#closed) return
    this.#closed = true
    this.#queue.length = 0
    this.#suspects.length = 0
    void this.#worker?.then((worker) => worker.terminate()).catch(() => undefined)
  }

  async #spawn(): Promise<WorkerClient> {
    try {
      const worker = await this.#components.startWorker(this.#options.bundleUrl)
      if (this.#closed) worker.terminate()
      return worker
    } catch (error) {
      this.#setLoadError(error)
      throw error
    }
  }

  async #pump(): Promise<void> {
    if (this.#running || this.#closed || this.#worker === undefined) return
    this.#running = true
    let worked = false
    try {
      while (this.#queue.length + this.#suspects.length > 0 && !this.#closed) {
        worked = true
        this.#events.onBusy(true)
        // Outcomes go out as the Worker reports them (every PROGRESS_INTERVAL_MS at most), not only at the
        // batch's end: a far lender hears of them sooner, and lends again sooner.
        const delivered = new Set<number>()
        const deliver = (outcomes: readonly Outcome[], msPerItem?: number): void => {
          const fresh = outcomes.filter((outcome) => !delivered.has(outcome.id))
          for (const outcome of fresh) delivered.add(outcome.id)
          if ((fresh.length > 0 || msPerItem !== undefined) && !this.#closed)
            this.#events.onOutcomes(fresh, msPerItem)
        }
        const { outcomes, figures } = await this.#runQueued(deliver)
        this.#inBatch = 0
        if (this.#closed) return
        this.#events.onFigures?.(figures)
        const msPerItem = ownTimePerItem(figures)
        if (msPerItem !== undefined) this.#timeout.measure(msPerItem, figures.items)
        deliver(outcomes, msPerItem)
      }
      if (worked && !this.#closed) this.#events.onBusy(false)
    } finally {
      this.#running = false
    }
  }

  /** The Worker, replaced first if it failed; rejects with the load error if the module cannot be loaded. */
  async #readyWorker(): Promise<WorkerClient> {
    const worker = await (this.#worker as Promise<WorkerClient>)
    if (!worker.failed) return worker
    worker.terminate()
    this.#worker = this.#spawn()
    return this.#worker
  }

  /**
   * Runs every queued job as one batch (or one job to run again alone), once the Worker is ready (so jobs
   * that arrive while the module loads go together). Never rejects: every job gets an outcome, or is queued
   * to run again.
   */
  async #runQueued(onProgress: (outcomes: readonly Outcome[]) => void): Promise<BatchResult> {
    const failAll = (jobs: readonly Job[], error: SerializedError): BatchResult => ({
      outcomes: jobs.map((job): Outcome => ({ id: job.id, ok: false, error })),
      figures: NO_FIGURES,
    })
    let worker: WorkerClient
    try {
      worker = await this.#readyWorker()
    } catch (loadError) {
      return failAll([...this.#suspects.splice(0), ...this.#queue.splice(0)], this.#setLoadError(loadError))
    }
    const batch = this.#suspects.length > 0 ? this.#suspects.splice(0, 1) : this.#queue.splice(0)
    if (this.#closed) return { outcomes: [], figures: NO_FIGURES }
    this.#inBatch = batch.length
    try {
      return await this.#runBatch(worker, batch, onProgress)
    } catch (processError) {
      return failAll(batch, serializeError(processError))
    }
  }

  /** Runs a batch in the Worker, under the item deadline if there is one; `onProgress` hears outcomes early. */
  async #runBatch(
    worker: WorkerClient,
    batch: readonly Job[],
    onProgress: (outcomes: readonly Outcome[]) => void,
  ): Promise<BatchResult> {
    const timeoutMs = this.#timeout.ms
    if (timeoutMs <= 0) return worker.process(batch, onProgress)
    const settled = new Map<number, Outcome>()
    const deadline = new ItemDeadline(timeoutMs)
    const processed = worker.process(batch, (outcomes) => {
      for (const outcome of outcomes) settled.set(outcome.id, outcome)
      deadline.progress()
      onProgress(outcomes)
    })
    try {
      const result = await Promise.race([processed, deadline.expired.then(() => undefined)])
      if (result !== undefined) return result
      // The deadline passed: is the Worker waiting (it answers) or stuck (it does not)? It may also finish.
      const verdict = await Promise.race([
        processed,
        worker.ping().then(
          () => 'waiting' as const,
          () => 'stuck' as const,
        ),
        sleep(STUCK_WORKER_PING_MS).then(() => 'stuck' as const),
      ])
      if (typeof verdict !== 'string') return verdict
      return this.#missedDeadline(worker, batch, settled, verdict, timeoutMs)
    } finally {
      deadline.stop()
    }
  }

  /** The Worker is terminated (and replaced before the next batch); its pending jobs fail or run again. */
  #missedDeadline(
    worker: WorkerClient,
    batch: readonly Job[],
    settled: ReadonlyMap<number, Outcome>,
    verdict: 'waiting' | 'stuck',
    timeoutMs: number,
  ): BatchResult {
    const outcomes = [...settled.values()]
    const pending = batch.filter((job) => !settled.has(job.id))
    // Every item settled and the reply is on its way: the Worker is not stuck.
    if (pending.length === 0) return { outcomes, figures: NO_FIGURES }
    worker.terminate()
    if (verdict === 'stuck' && pending.length > 1) {
      this.#suspects.push(...pending)
    } else {
      for (const job of pending) outcomes.push(itemTimeoutOutcome(job.id, timeoutMs))
    }
    return { outcomes, figures: NO_FIGURES }
  }
}
