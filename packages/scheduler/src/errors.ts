/**
 * A lender or sub-stream used against its contract (a source read before its last callback, a sink connected
 * twice, items withdrawn from an ordered lender): a bug of the caller's, thrown synchronously.
 */
export class StreamMisuseError extends Error {
  static override readonly name = 'StreamMisuseError'
  constructor(message: string) {
    super(message)
    this.name = 'StreamMisuseError'
  }
}

/** What the lender closes a sub-stream with when it fails far more items than the others (see SPEC 44). */
export class DiscreditedError extends Error {
  static override readonly name = 'DiscreditedError'
  constructor(sub: { readonly failed: number; readonly disproved: number; readonly succeeded: number }) {
    super(
      `failed ${String(sub.failed)} items (${String(sub.disproved)} of them computed by other volunteers) and computed ${String(sub.succeeded)}: dropped`,
    )
    this.name = 'DiscreditedError'
  }
}

/** What the root closes a volunteer with when replication finds it outvoted too often (see SPEC 56). */
export class OutvotedError extends Error {
  static override readonly name = 'OutvotedError'
  constructor(standing: { readonly outvoted: number; readonly agreed: number }) {
    super(
      `was outvoted on ${String(standing.outvoted)} items (its results differed from the agreed ones) and agreed on ${String(standing.agreed)}: excluded`,
    )
    this.name = 'OutvotedError'
  }
}

/** What the root closes a volunteer with when a spot check catches it (see SPEC 57). */
export class CaughtError extends Error {
  static override readonly name = 'CaughtError'
  constructor() {
    super("gave a result that differed from the root's own on a spot check: excluded")
    this.name = 'CaughtError'
  }
}

/** Whether `error` is an exclusion for the volunteer's results (an `OutvotedError` or a `CaughtError`). */
export const isExclusion = (error: Error): boolean =>
  error.name === 'OutvotedError' || error.name === 'CaughtError'

/** The failure of an item whose copies never reached a quorum within `--max-replicas` (see SPEC 55). */
export { DISAGREEMENT_ERROR } from '@pando/protocol'
