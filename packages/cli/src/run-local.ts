import type { ProcessFunction } from '@pando/protocol'
import type { ItemChannel, RunEnding } from './item-channel.ts'
import { createRootLender } from './lend-items.ts'
import { withSchedulerDebug } from './monitoring/debug-log.ts'
import { lendToThreads } from './local-threads.ts'
import { lendLocally } from './local-worker.ts'
import { sourceIdentity } from './journal/module-identity.ts'
import { startRunReporting } from './monitoring/run-reporting.ts'
import type { RunOptions } from './parse-arguments.ts'

/**
 * `--local`: the root lends every item to one sub-stream that runs the function in this process one item at
 * a time (or, with `--jobs N`, to N worker threads, see `local-threads.ts`), and emits the results in input
 * order to the channel. An item whose promise or callback has not
 * settled within `--item-timeout` fails with an `ItemTimeoutError`, then `--retries` and `--on-error` apply.
 */
export async function runLocal(
  process: ProcessFunction,
  channel: ItemChannel,
  options: RunOptions,
): Promise<RunEnding> {
  channel.record?.begin(await sourceIdentity(options.module))
  const lender = withSchedulerDebug(createRootLender(channel.items, options, channel.record))
  const stopLocal: () => Promise<void> | void =
    options.jobs > 1
      ? lendToThreads(lender, { ...options, cwd: globalThis.process.cwd() })
      : lendLocally(lender, process, options.itemTimeout)
  const reporting = startRunReporting({
    lender,
    intervalMs: options.reportingIntervalMs,
    ...(options.stdin ? {} : { itemsTotal: options.items.length }),
    progress: options.progress,
    quiet: options.quiet,
  })
  try {
    return await channel.deliver(lender.source)
  } finally {
    reporting.stop()
    await stopLocal()
  }
}
