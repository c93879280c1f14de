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

declare global {
  /** The hook `require('pando-computing').report()` calls, if set. */
  var __pandoReport: ((figures: unknown) => void) | undefined
}

let processItem: ProcessFunction | undefined
let reports = 0

// Monitoring arrives later; for now report() calls are only counted.
globalThis.__pandoReport = () => {
  reports += 1
}

async function run(fn: ProcessFunction, job: Job): Promise<Outcome> {
  try {
    return { id: job.id, ok: true, result: formatResult(await fn(job.value)) }
  } catch (error) {
    return { id: job.id, ok: false, error: serializeError(error) }
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
    return Promise.all(jobs.map((job) => run(fn, job)))
  },
  reportCount: () => reports,
}

expose(api)
