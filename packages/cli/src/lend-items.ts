import { REORDER_WINDOW_CHARS, type Job } from '@pando/protocol'
import {
  createLender,
  createReplicatingLender,
  type Lender,
  type Standing,
  type StandingSnapshot,
} from '@pando/scheduler'
import pull, { type Source } from 'pull-stream'
import type { RunRecord } from './journal/run-record.ts'
import { LOCAL_WORKER_NAME } from './local-worker.ts'

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
  /** `--replicas`, `--max-replicas` and `--spot-check`. */
  readonly replicas: number
  readonly maxReplicas: number
  readonly spotCheck: number
  /** `--replicas auto`: adaptive replication. */
  readonly adaptive: boolean
}

/** The root's lender, and each volunteer's standing when it replicates. */
export interface RootLender extends Lender {
  /** Every volunteer that answered a copy, with its standing (replication only: empty otherwise). */
  standings(): StandingSnapshot[]
  /** A volunteer refused for its browser: what it answered counts not (replication only: else nothing). */
  refuse(name: string, why: string): void
}

/** What the root is told of the volunteers' standing. */
export interface TrustEvents {
  /** A volunteer was excluded for its results (replication): the notice is the caller's to write. */
  readonly onExcluded?: (standing: Standing) => void
}

/**
 * The root's lender: numbers the items 0, 1, 2… as it reads them, retries an item the function failed on up
/**
 * The root's lender: numbers the items 0, 1, 2… as it reads them, retries an item the function failed on up
 * to `retries` more times, and emits the results in input order. A result over `maxResultChars` fails its
 * item; results waiting in the reorder window count against its budget (`REORDER_WINDOW_CHARS`, or four
 * results of the largest size when that is more), past which no new item is read. With a `record`, the
 * items whose outcome is known (from the journal or the cache) are not lent: their outcomes join the results
 * in order. With `replicas` above 1, each item is computed by that many distinct volunteers and written once
 * their answers agree (the scheduler's SPEC 52–56); with `spotCheck`, that share of the items is also computed
 * by this process (`lendLocally`, whose sub-stream is the ground truth: SPEC 57).
 */
export function createRootLender(
  items: Source<string>,
  options: RootLenderOptions,
  record?: RunRecord,
  events: TrustEvents = {},
): RootLender {
  const { retries, maxResultChars, replicas, maxReplicas, spotCheck, adaptive } = options
  const { maxItemChars = Number.POSITIVE_INFINITY } = options
  const lenderOptions = {
    ordered: true,
    retries,
    maxResultChars,
    maxItemChars,
    windowChars: Math.max(REORDER_WINDOW_CHARS, 4 * maxResultChars),
    // The root looks one item ahead, so that an empty input ends a run that no volunteer has joined.
    lookAhead: true,
    nameSettler: record !== undefined,
  }
  const lender: RootLender =
    replicas > 1 || spotCheck > 0
      ? createReplicatingLender(lenderOptions, {
          replicas,
          maxReplicas,
          spotCheck,
          adaptive,
          groundTruth: LOCAL_WORKER_NAME,
          ...(events.onExcluded === undefined ? {} : { onExcluded: events.onExcluded }),
        })
      : { ...createLender(lenderOptions), standings: () => [], refuse: () => undefined }
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
