import type { Job } from '@pando/protocol'
import { createLender, type Lender } from '@pando/scheduler'
import pull, { type Source } from 'pull-stream'
import type { RunRecord } from './journal/run-record.ts'

/**
 * The root's lender: numbers the items 0, 1, 2… as it reads them, retries an item the function failed on up
 * to `retries` more times, and emits the results in input order. With a `record`, the items whose outcome
 * is known (from the journal or the cache) are not lent: their outcomes join the results in order.
 */
export function createRootLender(items: Source<string>, retries: number, record?: RunRecord): Lender {
  // The root looks one item ahead, so that an empty input ends a run that no volunteer has joined.
  const lender = createLender({ ordered: true, retries, lookAhead: true, nameSettler: record !== undefined })
  let id = 0
  const jobs = pull(
    items,
    pull.map((value: string): Job => ({ id: id++, value })),
  )
  if (record === undefined) {
    pull(jobs, lender.sink)
    return lender
  }
  const { fresh, merge } = record.lend(jobs)
  pull(fresh, lender.sink)
  return { ...lender, source: merge(lender.source) }
}
