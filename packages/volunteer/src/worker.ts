// The Worker that runs the user's module, away from the page's main thread. It is a classic Worker (webpack's
// default for `new Worker(new URL(…))` without `type: 'module'`), so `importScripts` can load the bundle.
import {
  WORKER_MODULE_GLOBAL,
  formatResult,
  resolveProcessFunction,
  serializeError,
  type Job,
  type Outcome,
  type ProcessFunction,
} from '@pando/protocol'
import { expose } from 'comlink'
import { PROGRESS_MESSAGE_TYPE, type ProgressMessage, type WorkerApi } from './worker-api.ts'
import { WorkerStateError } from './errors.ts'
import { OutcomePacker, unpackJobs, type PackedOutcomes } from './packed-batch.ts'
import { FigureCounter } from './worker-figures.ts'
import { PROGRESS_INTERVAL_MS } from './constants.ts'

declare global {
  /** The hook `require('pando-computing').report()` calls, if set. */
  var __pandoReport: ((figures: unknown) => void) | undefined
}

let processItem: ProcessFunction | undefined
const figures = new FigureCounter()

globalThis.__pandoReport = (reported) => figures.addReport(reported)

/**
 * Tells the page that the batch moves on (an item started or settled), for its item deadline, with the
 * outcomes settled since: at once when the previous message is at least `PROGRESS_INTERVAL_MS` old, else by a
 * timer, or with the batch's reply if it comes first. The batch's last outcome waits for the reply, which
 * follows at once: a message of its own would cost the page, and the tab's message up, twice per batch (about
 * half the batches of the planned 100 ms did so). A module stuck in a loop runs no timer, so the page hears
 * nothing more.
 */
class ProgressPoster {
  readonly #outcomes = new OutcomePacker()
  #lastPost = 0
  #timer: ReturnType<typeof setTimeout> | undefined
  /** Items of the batch not settled yet. */
  #unsettled = 0

  /** A batch of `count` items starts: the page knows, as it sent it. */
  begin(count: number): void {
    this.#lastPost = performance.now()
    this.#unsettled = count
  }

  /** Progress at `now`: an item started, or settled with `outcome`. */
  note(now: number, outcome?: Outcome): void {
    if (outcome !== undefined) {
      this.#outcomes.add(outcome)
      this.#unsettled -= 1
      if (this.#unsettled === 0) return // the batch's reply takes it, at once
    }
    const wait = this.#lastPost + PROGRESS_INTERVAL_MS - now
    if (wait <= 0) this.#post()
    else this.#timer ??= setTimeout(() => this.#post(), wait)
  }

  /** The batch ends: the outcomes not posted yet, for its reply. */
  take(): PackedOutcomes {
    clearTimeout(this.#timer)
    this.#timer = undefined
    return this.#outcomes.take()
  }

  #post(): void {
    const message: ProgressMessage = { type: PROGRESS_MESSAGE_TYPE, outcomes: this.take() }
    postMessage(message)
    this.#lastPost = performance.now()
  }
}

const progress = new ProgressPoster()

/**
 * Runs one item, timing the Worker's busy time and the item's own time here, in the Worker, and tells
 * `progress` it started (when `first` is false: the first item's start is the batch's) and settled. The clock
 * is read three times per item (its start, its synchronous code's return, its end).
 */
async function run(fn: ProcessFunction, job: Job, first: boolean): Promise<void> {
  const start = performance.now()
  const timing = figures.begin(start)
  // Starting an item means the one before returned: a long batch of synchronous items moves on.
  if (!first) progress.note(start)
  let outcome: Outcome
  try {
    let pending: ReturnType<ProcessFunction>
    try {
      pending = fn(job.value)
    } finally {
      figures.returned(timing, performance.now())
    }
    outcome = { id: job.id, ok: true, result: formatResult(await pending) }
  } catch (error) {
    outcome = { id: job.id, ok: false, error: serializeError(error) }
  }
  const end = performance.now()
  figures.end(end, timing)
  progress.note(end, outcome)
}

const api: WorkerApi = {
  async load(bundleUrl) {
    if (processItem !== undefined) throw new WorkerStateError('a module is already loaded in this Worker')
    importScripts(bundleUrl)
    processItem = resolveProcessFunction((self as unknown as Record<string, unknown>)[WORKER_MODULE_GLOBAL])
  },
  async process(packed) {
    const fn = processItem
    if (fn === undefined) throw new WorkerStateError('process() called before load()')
    const jobs = unpackJobs(packed)
    progress.begin(jobs.length)
    await Promise.all(jobs.map((job, index) => run(fn, job, index === 0)))
    return { outcomes: progress.take(), figures: figures.take(performance.now()) }
  },
  async ping() {
    // Nothing to do: answering is the point.
  },
}

expose(api)
