import { REORDER_WINDOW_CHARS, type Job } from '@pando/protocol'
import { createLender, type Lender } from '@pando/scheduler'
import pull, { type Source } from 'pull-stream'
import type { RunRecord } from './journal/run-record.ts'

/** What the root's lender takes from the run's options. */
export interface RootLenderOptions {
  /** `--retries`. */
  readonly retries: number
  /** `--max-result-size`, in characters. */
  readonly maxResultChars: number
  /**
   * The largest item lent, in characters of JSON (`MAX_LINK_ITEM_CHARS` when only volunteers compute): a
   * larger one fails at once as a transport limit. @default no limit
   */
  readonly maxItemChars?: number
}

/**
 * The root's lender: numbers the items 0, 1, 2… as it reads them, retries an item the function failed on up
/**
 * The root's lender: numbers the items 0, 1, 2… as it reads them, retries an item the function failed on up
 * to `retries` more times, and emits the results in input order. A result over `maxResultChars` fails its
 * item; results waiting in the reorder window count against its budget (`REORDER_WINDOW_CHARS`, or four
 * results of the largest size when that is more), past which no new item is read. With a `record`, the
 * items whose outcome is known (from the journal or the cache) are not lent: their outcomes join the results
 * in order.
 */
export function createRootLender(
  items: Source<string>,
  options: RootLenderOptions,
  record?: RunRecord,
): Lender {
  const { retries, maxResultChars, maxItemChars = Number.POSITIVE_INFINITY } = options
  const lender = createLender({
    ordered: true,
    retries,
    maxResultChars,
    maxItemChars,
    windowChars: Math.max(REORDER_WINDOW_CHARS, 4 * maxResultChars),
    // The root looks one item ahead, so that an empty input ends a run that no volunteer has joined.
    lookAhead: true,
    nameSettler: record !== undefined,
  })
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
