import type { Job } from '@pando/protocol'
import { createLender, type Lender } from '@pando/scheduler'
import pull, { type Source } from 'pull-stream'

/**
 * The root's lender: numbers the items 0, 1, 2… as it reads them, retries an item the function failed on up
 * to `retries` more times, and emits the results in input order.
 */
export function createRootLender(items: Source<string>, retries: number): Lender {
  // The root looks one item ahead, so that an empty input ends a run that no volunteer has joined.
  const lender = createLender({ ordered: true, retries, lookAhead: true })
  let id = 0
  pull(
    items,
    pull.map((value: string): Job => ({ id: id++, value })),
    lender.sink,
  )
  return lender
}
