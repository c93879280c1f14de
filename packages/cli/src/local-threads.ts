import { resolve } from 'node:path'
import { Worker } from 'node:worker_threads'
import type { Outcome } from '@pando/protocol'
import { lendToRemote, type Lender } from '@pando/scheduler'
import { EXIT_FAILED } from './constants.ts'
import { printMessage } from './exit.ts'
import { shutdownAndExit } from './shutdown.ts'
import type { DurationValue } from './duration.ts'

/** What a worker thread of `--jobs N` is started with. */
export interface LocalThreadData {
  /** The module's absolute path. */
  readonly module: string
  readonly cwd: string
  /** `--item-timeout` (0 for none), as for the local worker: a relative one is measured in each thread. */
  readonly itemTimeout: DurationValue
}

/** What a thread sends back: the outcomes of jobs it computed, and its time per item meanwhile. */
export interface ThreadMessage {
  readonly outcomes: Outcome[]
  readonly msPerItem: number
}

/** The thread's script, beside this one once compiled. */
const THREAD_SCRIPT = new URL('./local-thread.js', import.meta.url)

export interface LocalThreadsOptions {
  readonly module: string
  readonly cwd: string
  /** How many threads. */
  readonly jobs: number
  readonly itemTimeout: DurationValue
}

/**
 * `--local --jobs N`: N worker threads compute `lender`'s items, each a borrower of its own (named `local-1`…)
 * with batches sized to its speed, as a volunteer's; the lender keeps the input order. A thread that stops
 * (an exception the module throws outside its function) gives its items back to the others; when none is
 * left the run stops with status 1. Returns what stops them all.
 */
export function lendToThreads(lender: Lender, options: LocalThreadsOptions): () => Promise<void> {
  const workerData: LocalThreadData = {
    module: resolve(options.cwd, options.module),
    cwd: options.cwd,
    itemTimeout: options.itemTimeout,
  }
  const threads = new Set<Worker>()
  let stopping = false
  for (let n = 1; n <= options.jobs; n++) {
    const thread = new Worker(THREAD_SCRIPT, { workerData })
    threads.add(thread)
    const borrower = lendToRemote(
      lender.lendStream({ name: `local-${n}` }),
      (jobs) => thread.postMessage(jobs),
      { batchSize: 'auto' },
    )
    thread.on('message', (message: ThreadMessage) => borrower.receive(message.outcomes, message.msPerItem))
    thread.on('error', (error) => {
      printMessage(`worker thread local-${n} stopped: ${error.stack ?? error.message}`)
    })
    thread.on('exit', () => {
      threads.delete(thread)
      borrower.close()
      if (threads.size === 0 && !stopping) {
        printMessage('every worker thread of --jobs stopped: the run cannot go on')
        shutdownAndExit(EXIT_FAILED)
      }
    })
  }
  return async () => {
    stopping = true
    await Promise.all([...threads].map((thread) => thread.terminate()))
  }
}
