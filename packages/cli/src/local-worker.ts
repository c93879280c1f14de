import { formatResult, serializeError, type Job, type Outcome, type ProcessFunction } from '@pando/protocol'
import pull, { type Through } from 'pull-stream'

/** The name of the local sub-stream, for the lender's diagnostics. */
export const LOCAL_WORKER_NAME = 'local'

/**
 * A borrower that runs the user's function in this process, one item at a time, like one volunteer's
 * Worker: batches of jobs in, batches of outcomes out. A failure of the function is an outcome, never a
 * stream error, so the lender can retry the item.
 */
export function localWorker(process: ProcessFunction): Through<Job[], Outcome[]> {
  return pull.asyncMap((jobs: Job[], cb) => {
    processBatch(process, jobs).then(
      (outcomes) => cb(null, outcomes),
      (error: unknown) => cb(error instanceof Error ? error : new Error(String(error))),
    )
  })
}

async function processBatch(process: ProcessFunction, jobs: readonly Job[]): Promise<Outcome[]> {
  const outcomes: Outcome[] = []
  for (const job of jobs) {
    // Let the event loop run between items (SIGINT, stdout drain, stdin), even for a synchronous function.
    await new Promise((resolve) => setImmediate(resolve))
    outcomes.push(await processJob(process, job))
  }
  return outcomes
}

/** Runs the function on one job; its result is formatted as an output line, its error serialized. */
export async function processJob(process: ProcessFunction, job: Job): Promise<Outcome> {
  try {
    return { id: job.id, ok: true, result: formatResult(await process(job.value)) }
  } catch (error) {
    return { id: job.id, ok: false, error: serializeError(error) }
  }
}
