import { serializeError, type Job, type Outcome, type SerializedError } from '@pando/protocol'
import type { BatchResult } from './worker-api.ts'
import { WorkerClient } from './worker-client.ts'
import { NO_FIGURES, type WorkerFigures } from './worker-figures.ts'

/** What a session reports to the page. */
export interface SessionEvents {
  /** Outcomes to send to the root. */
  onOutcomes: (outcomes: Outcome[]) => void
  /** The Worker started a batch (`true`) or has nothing left to do (`false`). */
  onBusy: (busy: boolean) => void
  /** The module could not be loaded; every job will be answered with this error. */
  onLoadError: (error: SerializedError) => void
  /** The Worker's monitoring figures, after each batch (just before its outcomes). */
  onFigures?: (figures: WorkerFigures) => void
}

/** Collaborators, injectable for tests. */
export interface SessionComponents {
  startWorker: (bundleUrl: string) => Promise<WorkerClient>
}

/**
 * The work of one connection: a Worker with the module loaded, the queue of jobs the root lent, and the loop
 * that feeds the Worker all queued jobs as one batch whenever it is free. A session ends with its
 * connection; jobs it still holds are dropped (the root lends them again).
 */
export class VolunteerSession {
  readonly #bundleUrl: string
  readonly #events: SessionEvents
  readonly #components: SessionComponents
  readonly #queue: Job[] = []
  /** Jobs of the batch the Worker is running. */
  #inBatch = 0
  #worker: Promise<WorkerClient> | undefined
  #loadError: SerializedError | undefined
  #running = false
  #closed = false

  constructor(bundleUrl: string, events: SessionEvents, components?: Partial<SessionComponents>) {
    this.#bundleUrl = bundleUrl
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

  /** Jobs held: queued, or in the batch the Worker runs. */
  get held(): number {
    return this.#closed ? 0 : this.#queue.length + this.#inBatch
  }

  /** Queues jobs lent by the root. */
  add(jobs: readonly Job[]): void {
    if (this.#closed) return
    this.#queue.push(...jobs)
    void this.#pump()
  }

  /** Ends the session: the Worker is terminated and queued jobs are dropped. Idempotent. */
  close(): void {
    if (this.#closed) return
    this.#closed = true
    this.#queue.length = 0
    void this.#worker?.then((worker) => worker.terminate()).catch(() => undefined)
  }

  async #spawn(): Promise<WorkerClient> {
    try {
      const worker = await this.#components.startWorker(this.#bundleUrl)
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
      while (this.#queue.length > 0 && !this.#closed) {
        worked = true
        this.#events.onBusy(true)
        const { outcomes, figures } = await this.#runQueued()
        this.#inBatch = 0
        if (this.#closed) return
        this.#events.onFigures?.(figures)
        this.#events.onOutcomes(outcomes)
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
   * Runs every queued job as one batch, once the Worker is ready (so jobs that arrive while the module loads
   * go together). Never rejects: every job gets an outcome.
   */
  async #runQueued(): Promise<BatchResult> {
    const failAll = (jobs: readonly Job[], error: SerializedError): BatchResult => ({
      outcomes: jobs.map((job): Outcome => ({ id: job.id, ok: false, error })),
      figures: NO_FIGURES,
    })
    let worker: WorkerClient
    try {
      worker = await this.#readyWorker()
    } catch (loadError) {
      return failAll(this.#queue.splice(0), this.#setLoadError(loadError))
    }
    const batch = this.#queue.splice(0)
    if (this.#closed) return { outcomes: [], figures: NO_FIGURES }
    this.#inBatch = batch.length
    try {
      return await worker.process(batch)
    } catch (processError) {
      return failAll(batch, serializeError(processError))
    }
  }
}
