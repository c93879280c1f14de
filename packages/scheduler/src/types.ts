import type { Job, Outcome, SerializedError } from '@pando/protocol'
import type { Sink, Source } from 'pull-stream'

/** What the lender emits for each item it read: its result, or its error once the retries are spent. */
export type Settled =
  | { readonly id: number; readonly value: string; readonly ok: true; readonly result: string }
  | {
      readonly id: number
      readonly value: string
      readonly ok: false
      readonly error: SerializedError
      /** How many times the user's function failed on this item (retries + 1). */
      readonly attempts: number
    }

export interface LenderOptions {
  /**
   * Emit results in the order the items were read (the root) or as soon as each is settled (a relay node,
   * whose parent restores the order).
   * @default true
   */
  ordered?: boolean
  /**
   * The reorder window: the most items read but not yet emitted. When it is full the lender stops reading
   * its input, so an endless input runs in constant memory.
   * @default 1024 items
   */
  window?: number
  /**
   * How many more times an item is lent after the user's function failed on it, to a sub-stream that has not
   * failed it yet whenever one is open. After that the item is emitted as failed.
   * @default 2
   */
  retries?: number
}

export interface LendStreamOptions {
  /**
   * The most items this sub-stream may hold at once (lent and not yet answered).
   * @default 1
   */
  credit?: number
  /** A name for diagnostics (a volunteer id, 'local'…). */
  name?: string
}

/**
 * A borrower's side of the lender. Its source gives batches of jobs (never empty, never more than the free
 * credit); its sink takes batches of outcomes, matched to jobs by id in any order. When the sink's source
 * ends or errors, or `close()` is called, every job it still holds is lent again to the other sub-streams,
 * before new items, and any later outcome from it is ignored.
 */
export interface SubStream {
  readonly name: string
  readonly source: Source<Job[]>
  readonly sink: Sink<Outcome[]>
  /** Changes the credit at run time; lowering it takes nothing back, it only stops lending until under it. */
  setCredit(credit: number): void
  /** Closes the sub-stream from outside (heartbeat missed, peer misbehaved). Idempotent. */
  close(reason?: Error): void
  /** Jobs lent to it and not yet answered. */
  readonly held: number
  readonly closed: boolean
}

export interface LenderState {
  /** Items read from the input. */
  readonly read: number
  /** Items emitted on the output. */
  readonly emitted: number
  /** Items read and not yet emitted (at most the window). */
  readonly pending: number
  /** Items waiting to be lent again after a sub-stream closed or a function failed. */
  readonly relendQueue: number
  /** Items currently held by sub-streams. */
  readonly lent: number
  /** Sub-streams currently open. */
  readonly subStreams: number
  /** Items lent again after a sub-stream closed holding them. */
  readonly relent: number
  /** Outcomes ignored because their sub-stream did not hold that id (late, duplicate or stray). */
  readonly ignored: number
  /** Function failures (each attempt counts). */
  readonly failures: number
  readonly inputEnded: boolean
}

/**
 * A duplex pull-stream: its sink reads the input jobs lazily, its source emits settled items. Connect both,
 * e.g. `pull(jobs, lender, results)`, then open sub-streams with `lendStream()` at any time.
 */
export interface Lender {
  readonly sink: Sink<Job>
  readonly source: Source<Settled>
  lendStream(options?: LendStreamOptions): SubStream
  state(): LenderState
}
