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
import type { WorkerApi } from './worker-api.ts'
import { FigureCounter } from './worker-figures.ts'

declare global {
  /** The hook `require('pando-computing').report()` calls, if set. */
  var __pandoReport: ((figures: unknown) => void) | undefined
}

let processItem: ProcessFunction | undefined
const figures = new FigureCounter()

globalThis.__pandoReport = (reported) => figures.addReport(reported)

/** Runs one item, timing the Worker's busy time here, in the Worker. */
async function run(fn: ProcessFunction, job: Job): Promise<Outcome> {
  figures.begin(performance.now())
  try {
    return { id: job.id, ok: true, result: formatResult(await fn(job.value)) }
  } catch (error) {
    return { id: job.id, ok: false, error: serializeError(error) }
  } finally {
    figures.end(performance.now())
  }
}

const api: WorkerApi = {
  async load(bundleUrl) {
    if (processItem !== undefined) throw new Error('a module is already loaded in this Worker')
    importScripts(bundleUrl)
    processItem = resolveProcessFunction((self as unknown as Record<string, unknown>)[WORKER_MODULE_GLOBAL])
  },
  async process(jobs) {
    const fn = processItem
    if (fn === undefined) throw new Error('process() called before load()')
    const outcomes = await Promise.all(jobs.map((job) => run(fn, job)))
    return { outcomes, figures: figures.take(performance.now()) }
  },
}

expose(api)
