import { WORKER_CRASH_ERROR, type Job, type Outcome } from '@pando/protocol'
import { wrap, type Remote } from 'comlink'
import { PROGRESS_MESSAGE_TYPE, type BatchResult, type WorkerApi } from './worker-api.ts'
import { packJobs, unpackOutcomes } from './packed-batch.ts'
import { NO_FIGURES } from './worker-figures.ts'

/** Creates the Worker. The literal `new Worker(new URL(…, import.meta.url))` is what webpack bundles. */
export function createWorker(): Worker {
  return new Worker(/* webpackChunkName: "worker" */ new URL('./worker.ts', import.meta.url), {
    name: 'pando-module',
  })
}

/** Outcome given to every job of a batch the Worker was running when it failed. */
function crashOutcome(id: number, reason: string): Outcome {
  return { id, ok: false, error: { name: WORKER_CRASH_ERROR, message: `the Worker failed: ${reason}` } }
}

/** The outcomes of a `ProgressMessage`, if `data` is one. */
function progressOutcomes(data: unknown): readonly Outcome[] | undefined {
  if (typeof data !== 'object' || data === null) return undefined
  const message = data as { type?: unknown; outcomes?: unknown }
  return message.type === PROGRESS_MESSAGE_TYPE ? unpackOutcomes(message.outcomes) : undefined
}

/**
 * The page's side of one Worker with the user's module loaded. When the Worker reports an uncaught error (an
 * exception thrown outside any job's promise, a crash), the rest of the batch in flight cannot be attributed
 * item by item, so each of its jobs without an outcome yet gets a `WorkerCrashError` outcome, and `failed` is
 * set: the owner replaces the Worker. `failed` is set too once the owner terminates it (a missed deadline).
 */
export class WorkerClient {
  readonly #worker: Worker
  readonly #remote: Remote<WorkerApi>
  readonly #crashed: Promise<string>
  #failed = false
  /** Takes the outcomes of the running batch's progress messages. */
  #onProgress: ((outcomes: readonly Outcome[]) => void) | undefined

  private constructor(worker: Worker) {
    this.#worker = worker
    this.#remote = wrap<WorkerApi>(worker)
    worker.addEventListener('message', (event) => {
      const outcomes = progressOutcomes(event.data)
      if (outcomes !== undefined) this.#onProgress?.(outcomes)
    })
    this.#crashed = new Promise((resolve) => {
      const fail = (reason: string): void => {
        this.#failed = true
        resolve(reason)
      }
      worker.addEventListener('error', (event) => {
        event.preventDefault()
        fail(event.message === '' ? 'uncaught error' : event.message)
      })
      worker.addEventListener('messageerror', () => fail('a message could not be deserialized'))
    })
  }

  /**
   * Starts a Worker and loads the bundle in it.
   * @throws what `load` threw (e.g. a `ModuleContractError`), after terminating the Worker
   */
  static async start(bundleUrl: string, createWorkerFn: () => Worker = createWorker): Promise<WorkerClient> {
    const client = new WorkerClient(createWorkerFn())
    try {
      await Promise.race([
        client.#remote.load(bundleUrl),
        client.#crashed.then((reason) => Promise.reject(new Error(`the Worker failed: ${reason}`))),
      ])
      return client
    } catch (error) {
      client.terminate()
      throw error
    }
  }

  /** Whether the Worker reported an uncaught error, or was terminated; it should then be replaced. */
  get failed(): boolean {
    return this.#failed
  }

  /**
   * Runs a batch; resolves with one outcome per job, even if the Worker fails meanwhile (its figures are then
   * lost with it), and the Worker's monitoring figures. `onProgress` hears each time the Worker moves on (an
   * item started or settled), with the outcomes that settled since, possibly none.
   */
  process(jobs: readonly Job[], onProgress?: (outcomes: readonly Outcome[]) => void): Promise<BatchResult> {
    const ids = new Set(jobs.map((job) => job.id))
    const settled = new Map<number, Outcome>()
    /** Keeps the batch's ids only, once each: the module shares the Worker's scope and could post anything. */
    const take = (outcomes: readonly Outcome[]): Outcome[] => {
      const fresh = outcomes.filter((outcome) => ids.has(outcome.id) && !settled.has(outcome.id))
      for (const outcome of fresh) settled.set(outcome.id, outcome)
      return fresh
    }
    const listener = (outcomes: readonly Outcome[]): void => onProgress?.(take(outcomes))
    this.#onProgress = listener
    const done = this.#remote.process(packJobs(jobs)).then(({ outcomes, figures }) => {
      take(unpackOutcomes(outcomes))
      return { outcomes: [...settled.values()], figures }
    })
    const crashed = this.#crashed.then((reason) => {
      for (const job of jobs) if (!settled.has(job.id)) settled.set(job.id, crashOutcome(job.id, reason))
      return { outcomes: [...settled.values()], figures: NO_FIGURES }
    })
    return Promise.race([done, crashed]).finally(() => {
      if (this.#onProgress === listener) this.#onProgress = undefined
    })
  }

  /** Resolves when the Worker's event loop is free to answer: never while it runs synchronous code. */
  async ping(): Promise<void> {
    await this.#remote.ping()
  }

  /** Stops the Worker at once; a batch in flight is abandoned, and `failed` is set. Idempotent. */
  terminate(): void {
    this.#failed = true
    this.#onProgress = undefined
    this.#worker.terminate()
  }
}
