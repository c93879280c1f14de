// A worker thread of `--local --jobs N`: loads the module, then computes the jobs the root sends it, one at a
// time, in order, and sends their outcomes back (see `local-threads.ts`).
import { parentPort, workerData } from 'node:worker_threads'
import { InvariantError, type Job, type Outcome } from '@pando/protocol'
import { loadProcessFunction } from './load-module.ts'
import { LocalDeadline, processJob } from './local-worker.ts'
import type { LocalThreadData, ThreadMessage } from './local-threads.ts'
import { installRuntimeModuleResolution } from './runtime-module.ts'
import { REPORT_EVERY_MS } from './constants.ts'

const port = parentPort
if (port === null) throw new InvariantError('local-thread.js runs only as a worker thread')
const { module, cwd, itemTimeout } = workerData as LocalThreadData
installRuntimeModuleResolution()
const process = await loadProcessFunction(module, cwd)
const deadline = new LocalDeadline(itemTimeout)
const queue: Job[] = []
let running = false

port.on('message', (jobs: Job[]) => {
  queue.push(...jobs)
  if (!running) void computeQueue()
})

/** Computes the queued jobs in order, sending outcomes every {@link REPORT_EVERY_MS} and when it is empty. */
async function computeQueue(): Promise<void> {
  running = true
  let outcomes: Outcome[] = []
  let since = performance.now()
  for (let job = queue.shift(); job !== undefined; job = queue.shift()) {
    outcomes.push(await processJob(process, job, deadline))
    const now = performance.now()
    if (now - since >= REPORT_EVERY_MS || queue.length === 0) {
      send({ outcomes, msPerItem: (now - since) / outcomes.length })
      outcomes = []
      since = now
    }
  }
  running = false
}

function send(message: ThreadMessage): void {
  port?.postMessage(message)
}
