import type { Job, Outcome } from '@pando/protocol'
import { wrap, type Remote } from 'comlink'
import type { BatchResult, WorkerApi } from './worker-api.ts'
import { NO_FIGURES } from './worker-figures.ts'

/** Creates the Worker. The literal `new Worker(new URL(…, import.meta.url))` is what webpack bundles. */
export function createWorker(): Worker {
  return new Worker(/* webpackChunkName: "worker" */ new URL('./worker.ts', import.meta.url), {
    name: 'pando-module',
  })
}

/** Outcome given to every job of a batch the Worker was running when it failed. */
function crashOutcome(id: number, reason: string): Outcome {
  return { id, ok: false, error: { name: 'WorkerCrashError', message: `the Worker failed: ${reason}` } }
}

/**
 * The page's side of one Worker with the user's module loaded. When the Worker reports an uncaught error (an
 * exception thrown outside any job's promise, a crash), the batch in flight cannot be attributed item by item,
 * so each of its jobs gets a `WorkerCrashError` outcome, and `failed` is set: the owner replaces the Worker.
 */
export class WorkerClient {
  readonly #worker: Worker
  readonly #remote: Remote<WorkerApi>
  readonly #crashed: Promise<string>
  #failed = false

  private constructor(worker: Worker) {
    this.#worker = worker
    this.#remote = wrap<WorkerApi>(worker)
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

  /** Whether the Worker reported an uncaught error; it should then be replaced. */
  get failed(): boolean {
    return this.#failed
  }

  /**
   * Runs a batch; resolves with one outcome per job, even if the Worker fails meanwhile (its figures are then
   * lost with it), and the Worker's monitoring figures.
   */
  process(jobs: readonly Job[]): Promise<BatchResult> {
    return Promise.race([
      this.#remote.process(jobs),
      this.#crashed.then((reason) => ({
        outcomes: jobs.map((job) => crashOutcome(job.id, reason)),
        figures: NO_FIGURES,
      })),
    ])
  }

  /** Stops the Worker at once; a batch in flight is abandoned. Idempotent. */
  terminate(): void {
    this.#worker.terminate()
  }
}
