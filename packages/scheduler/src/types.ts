import type { Job, Outcome, SerializedError } from '@pando/protocol'
import type { Sink, Source } from 'pull-stream'
import type { LenderClock } from './clock.ts'

/** What the lender emits for each item it read: its result, or its error once the retries are spent. */
export type Settled =
  | {
      readonly id: number
      readonly value: string
      readonly ok: true
      readonly result: string
      /**
       * The name of the sub-stream whose outcome settled it (a volunteer's id, 'local', a child's id), with
       * the `nameSettler` option.
       */
      readonly by?: string
    }
  | {
      readonly id: number
      readonly value: string
      readonly ok: false
      /** The name of the sub-stream whose failure settled it, as for a result. */
      readonly by?: string
      readonly error: SerializedError
      /** How many times the user's function failed on this item (retries + 1). */
      readonly attempts: number
    }

export interface LenderOptions {
  /**
   * Read one item ahead when the output waits and nothing read is left to emit, even with no sub-stream
   * asking: then an input that is already over (an empty stdin) ends the output with no borrower at all.
   * One item at most, so reading stays bounded; off by default, as the original's lender never read
   * without demand.
   * @default false
   */
  lookAhead?: boolean
  /**
   * Name, in each settled item's `by`, the sub-stream whose outcome settled it (for the root's journal and
   * job log).
   * @default false
   */
  nameSettler?: boolean
  /**
   * Emit results in the order the items were read (the root) or as soon as each is settled (a relay node,
   * whose parent restores the order).
   * @default true
   */
  ordered?: boolean
  /**
   * The reorder window: the most items read but not yet emitted. When it is full the lender stops reading
   * its input, so an endless input runs in constant memory.
   * @default 32,768 items (`DEFAULT_WINDOW`)
   */
  window?: number
  /**
   * The reorder window's byte budget, in characters of results held waiting for a lower item to be emitted.
   * Past it the lender stops reading its input, as when `window` items are pending; items already lent
   * still settle, so what is held is bounded by this plus what was lent before it stopped (each result at
   * most `maxResultChars`). It never stops the head: the head's own result is always taken.
   * @default Infinity (no budget)
   */
  windowChars?: number
  /**
   * The largest result kept, in characters: a larger one is not kept, and counts as a failure of its item
   * (a `ResultTooLargeError`, retried as any failure, since another volunteer may give the right result).
   * @default Infinity (no limit)
   */
  maxResultChars?: number
  /**
   * The largest item lent, in characters of its value as JSON (`MAX_LINK_ITEM_CHARS` for volunteers): a
   * larger one is never lent but settles at once as failed, with a `TransportLimitError` and 0 attempts
   * (no borrower could be sent it, so retrying cannot help).
   * @default Infinity (no limit)
   */
  maxItemChars?: number
  /**
   * How many more times an item is lent after the user's function failed on it, to a sub-stream that has not
   * failed it yet whenever one is open. After that the item is emitted as failed.
   * @default 2
   */
  retries?: number
  /**
   * Straggler mitigation: when the item at the head of the reorder window (the next to emit) has been lent
   * for longer than `speculateMultiple` × the p95 of recent lend→success times, clamped to
   * [`speculateFloorMs`, `speculateCeilingMs`], it is lent a second time to another sub-stream, ahead of
   * every other item. The first outcome wins; the other is ignored. Ordered lenders only.
   * @default ordered (true for an ordered lender, false otherwise; true with `ordered: false` throws)
   */
  speculate?: boolean
  /** @default 4 (DEFAULT_SPECULATE_MULTIPLE) */
  speculateMultiple?: number
  /** The shortest wait before a copy, in ms. @default 1,000 (DEFAULT_SPECULATE_FLOOR_MS) */
  speculateFloorMs?: number
  /**
   * The longest wait before a copy, in ms, also used while no item has succeeded yet.
   * @default 300,000 (DEFAULT_SPECULATE_CEILING_MS)
   */
  speculateCeilingMs?: number
  /**
   * Time and timers for the straggler checks. A pending check is cleared when the output or lending ends
   * and `unref`ed when its handle can be, so it never keeps a process alive.
   * @default the platform's: `performance.now`, `setTimeout`, `clearTimeout`
   */
  clock?: LenderClock
  /**
   * Where each job may go (SPEC 52–54): asked before a job joins a sub-stream's batch, told when a holding
   * ends. Replication uses it to keep the copies of one item on distinct volunteers. Without it, a job may
   * go to any sub-stream that the other rules allow.
   */
  placement?: Placement
}

/**
 * The lender's placement hook (SPEC 52–54). Jobs are told apart by id: the copies of one item are distinct
 * jobs to the lender, and only the placement knows they belong together.
 */
export interface Placement {
  /**
   * Whether the sub-stream named `name` may take `job` now. A `true` is a commitment: the lender lends it
   * there, and the placement counts `name` as holding it until {@link release}.
   */
  claim(job: Job, name: string): boolean
  /**
   * `name` no longer holds `job`: it `answered` it (success, or the function's `failure`: each failed
   * attempt, retried or not), computed by the tab `by` when its outcome named one (a tree child's), or
   * closed or gave it back.
   */
  release(job: Job, name: string, answered: boolean, failure?: SerializedError, by?: string): void
  /**
   * Whether the sub-stream named `name` takes new items at all (SPEC 57): one that does not is lent only from
   * the re-lend queue, where the jobs others were refused wait, and asks nothing of others by stealing.
   * @default every sub-stream does
   */
  takesNew?(name: string): boolean
}

export interface LendStreamOptions {
  /**
   * The most items this sub-stream may hold at once (lent and not yet answered).
   * @default 1
   */
  credit?: number
  /** A name for diagnostics (a volunteer id, 'local'…). */
  name?: string
  /**
   * The tabs behind the sub-stream, for a placement that keeps copies on distinct tabs (SPEC 53): a tree
   * child's subtree as its reports name it, itself included. Read at each placement.
   * @default the sub-stream's name alone
   */
  tabs?: () => Iterable<string>
  /**
   * Called once if the lender itself drops the sub-stream (it failed far more items than the others: see
   * SPEC 44), with the reason it was closed with, so that its owner closes the connection behind it too.
   */
  onDropped?: (reason: Error) => void
  /**
   * Asks the borrower to give back up to `count` items it holds and has not started (SPEC 49): the lender
   * calls it when another sub-stream waits with nothing to lend while this one holds more than it runs. The
   * borrower answers with `giveBack` (a remote one through a `return` message), or not at all. Without it,
   * nothing is ever recalled from this sub-stream.
   */
  onRecall?: (count: number) => void
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
  /** What it may hold. */
  readonly credit: number
  /** Changes the credit at run time; lowering it takes nothing back, it only stops lending until under it. */
  setCredit(credit: number): void
  /**
   * The tabs behind it (`LendStreamOptions.tabs`) changed: a copy placement refused it for want of a tab
   * that had not answered the item may now go to it.
   */
  tabsChanged(): void
  /** Closes the sub-stream from outside (heartbeat missed, peer misbehaved). Idempotent. */
  close(reason?: Error): void
  /**
   * Gives back items it was lent and will not compute (not a failure): each goes to the front of the re-lend
   * queue, for another sub-stream. An id it does not hold is ignored and counted (`ignored`), as a stray
   * outcome is (SPEC 48a). Returns how many it held.
   */
  giveBack(ids: readonly number[]): number
  /** Jobs lent to it and not yet answered. */
  readonly held: number
  readonly closed: boolean
}

export interface LenderState {
  /** Items read from the input. */
  readonly read: number
  /** Items emitted on the output. */
  readonly emitted: number
  /** Items read and not yet emitted nor withdrawn (at most the window). */
  readonly pending: number
  /** Items taken back with `withdraw`. */
  readonly withdrawn: number
  /** Items waiting to be lent again after a sub-stream closed or a function failed. */
  readonly relendQueue: number
  /**
   * Lendings outstanding: items held by sub-streams and not yet settled (an item held twice, by its first
   * holder and a speculative copy's, counts twice; a loser still holding a settled item, not at all).
   */
  readonly lent: number
  /** Sub-streams currently open. */
  readonly subStreams: number
  /** Items lent again after a sub-stream closed holding them. */
  readonly relent: number
  /**
   * Outcomes ignored: their sub-stream did not hold that id (late, duplicate or stray), or the item was
   * already settled through another holder (the loser of a speculative copy).
   */
  readonly ignored: number
  /** Speculative copies lent: a straggling head item lent a second time to another sub-stream. */
  readonly speculated: number
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
  /**
   * Takes back up to `max` items read and waiting to be lent (given back, left by a closed sub-stream, or
   * read late), none of them held, the re-lend queue's first: they are no longer pending, and are never lent
   * nor emitted (SPEC 48b). For a relay whose own lender got them from a parent (a paused tab): it gives
   * them back up. Unordered lenders only: an ordered output would wait for them forever.
   * @throws {Error} on an ordered lender
   */
  withdraw(max?: number): Job[]
}
