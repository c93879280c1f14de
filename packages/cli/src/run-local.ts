import type { ProcessFunction } from '@pando/protocol'
import pull from 'pull-stream'
import type { ItemChannel, RunEnding } from './item-channel.ts'
import { createRootLender } from './lend-items.ts'
import { LOCAL_WORKER_NAME, localWorker } from './local-worker.ts'

/**
 * `--local`: the root lends every item to one sub-stream that runs the function in this process one item at
 * a time, and emits the results in input order to the channel.
 */
export function runLocal(
  process: ProcessFunction,
  channel: ItemChannel,
  retries: number,
): Promise<RunEnding> {
  const lender = createRootLender(channel.items, retries)
  const worker = lender.lendStream({ credit: 1, name: LOCAL_WORKER_NAME })
  pull(worker.source, localWorker(process), worker.sink)
  return channel.deliver(lender.source)
}
