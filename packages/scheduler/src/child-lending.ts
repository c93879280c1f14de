import {
  MAX_LINK_ITEM_CHARS,
  MAX_TREE_MESSAGE_CHARS,
  toWire,
  type Job,
  type Outcome,
  type TreeWorkMessage,
} from '@pando/protocol'
import type { BatchSize } from './batch-sizing.ts'
import { lendToRemote, type RemoteBorrower } from './remote-borrower.ts'
import type { Lender, SubStream } from './types.ts'

/** A tree link as the lending uses it (the overlay's `PeerChannel` is one). */
export interface ChildChannel {
  readonly state: 'connecting' | 'open' | 'closed'
  send(message: unknown): void
  close(): void
}

/** A child of a tree node as the lending sees it (the overlay's `ChildInfo` is one). */
export interface LendingChild {
  readonly index: number
  /** The child's id, once it reported. */
  readonly id: string | undefined
  readonly channel: ChildChannel
  /** Workers in its subtree, as last reported: what its credit scales with. */
  readonly workers: number
  /** The round trip to it in ms, as last measured (0 or absent when unknown); read as the credit is set. */
  readonly roundTripMs?: number
}

/**
 * Lends a lender's items to the children of a tree node: one sub-stream per child, whose jobs go down the
 * child's channel as `jobs` messages of at most one batch (fixed, or following the child's speed), and whose
 * credit is two batches per worker the child reports (capped: a hostile child cannot make it unsafe), plus,
 * with adaptive batches, what the child computes in a round trip to it (`roundTripMs`, read live).
 * Outcomes the child sends come back through `receive`, matched by channel; items it gives back, through
 * `giveBack`; when another borrower waits idle, a child holding items is sent a `recall` (SPEC 49). A child
 * that leaves is closed,
 * and what it held is lent again to the others. Used by tabs and by a Node root alike.
 */
export class ChildLending {
  readonly #lender: Lender
  readonly #batchSize: BatchSize
  readonly #children = new Map<ChildChannel, RemoteBorrower>()
  readonly #subStreams = new Map<ChildChannel, SubStream>()
  /** Each child's tabs: its own id and those its status reports name (`setTabs`). */
  readonly #tabs = new Map<ChildChannel, ReadonlySet<string>>()
  /** Each child's sub-stream name, and the channel behind it. */
  readonly #named = new Map<string, ChildChannel>()
  readonly #nameOf = new Map<ChildChannel, string>()
  #closed = false
  /** Child links added so far: a child lent to before it reported is named by its link's number. */
  #links = 0
  readonly #onDropped: (child: LendingChild, reason: Error) => void

  /**
   * `onDropped`: what becomes of a child the lender drops (it fails far more items than the others, or
   * replication excludes it); by default its link is closed.
   */
  constructor(
    lender: Lender,
    batchSize: BatchSize,
    onDropped: (child: LendingChild, reason: Error) => void = (child) => child.channel.close(),
  ) {
    this.#lender = lender
    this.#batchSize = batchSize
    this.#onDropped = onDropped
  }

  /** Children being lent to. */
  get size(): number {
    return this.#children.size
  }

  /** Whether `channel` is a child being lent to. */
  has(channel: ChildChannel): boolean {
    return this.#children.has(channel)
  }

  /** Starts lending to a child (again a no-op for one already lent to). */
  add(child: LendingChild): void {
    const channel = child.channel
    if (this.#closed || this.#children.has(channel)) return
    // Dropped by the lender (its subtree fails far more items than the others): the link goes too.
    const sendDown = (message: TreeWorkMessage): void => {
      // Jobs that cannot be sent stay held by the sub-stream until the channel's close (`remove`) lends them
      // again; a send that fails on an open channel closes it, so that this happens.
      if (channel.state !== 'open') return
      try {
        channel.send(toWire(message))
      } catch {
        channel.close()
      }
    }
    this.#links += 1
    // Not by its slot: a later child in the same slot is another volunteer, with a standing of its own.
    const name = child.id ?? `child ${String(this.#links)}`
    this.#named.set(name, channel)
    this.#nameOf.set(channel, name)
    const subStream = this.#lender.lendStream({
      name,
      tabs: () => this.#tabs.get(channel) ?? [name],
      onDropped: (reason) => this.#onDropped(child, reason),
      // Another child or the node's own Worker waits idle: ask this one for what it has not started.
      onRecall: (count) => sendDown({ type: 'recall', count }),
    })
    const send = (jobs: Job[]): void => sendDown({ type: 'jobs', jobs })
    const borrower = lendToRemote(subStream, send, {
      batchSize: this.#batchSize,
      workers: child.workers,
      maxMessageChars: MAX_TREE_MESSAGE_CHARS,
      maxItemChars: MAX_LINK_ITEM_CHARS,
      roundTrip: () => child.roundTripMs ?? 0,
    })
    this.#children.set(channel, borrower)
    this.#subStreams.set(channel, subStream)
  }

  /** The child reported its subtree: its credit follows its workers. */
  update(child: LendingChild): void {
    const borrower = this.#children.get(child.channel)
    if (borrower === undefined) this.add(child)
    else borrower.setWorkers(child.workers)
  }

  /** The child left: what it held is lent again. */
  remove(channel: ChildChannel): void {
    this.#children.get(channel)?.close(new Error('the child left'))
    this.#children.delete(channel)
    this.#subStreams.delete(channel)
    this.#tabs.delete(channel)
    const name = this.#nameOf.get(channel)
    this.#nameOf.delete(channel)
    if (name !== undefined && this.#named.get(name) === channel) this.#named.delete(name)
  }

  /**
   * The tabs of a child's subtree, as its latest status names them (`ids`, one per volunteer report), with
   * the child itself: the outcomes it passes up may name these, and copies of an item avoid them (SPEC 53).
   */
  setTabs(channel: ChildChannel, ids: Iterable<string>): void {
    const name = this.#nameOf.get(channel)
    if (name === undefined) return
    const before = this.#tabs.get(channel)
    const tabs = new Set([name, ...ids])
    this.#tabs.set(channel, tabs)
    // A tab that joined the subtree may take a copy of an item every other tab answered (SPEC 53).
    if (before === undefined || [...tabs].some((tab) => !before.has(tab)))
      this.#subStreams.get(channel)?.tabsChanged()
  }

  /** Whether the tab `id` is of `channel`'s subtree: the child itself, or a tab its reports name. */
  holdsTab(channel: ChildChannel, id: string): boolean {
    return this.#nameOf.get(channel) === id || this.#tabs.get(channel)?.has(id) === true
  }

  /** The sub-stream names of the children being lent to. */
  names(): string[] {
    return [...this.#named.keys()]
  }

  /** The tabs behind the child whose sub-stream is `name` (its name alone until it reported any). */
  tabsOf(name: string): Iterable<string> {
    const channel = this.#named.get(name)
    return (channel === undefined ? undefined : this.#tabs.get(channel)) ?? [name]
  }

  /**
   * Hands a child's outcomes to the lender (nothing, for a channel that is no child: see `has`). An
   * outcome's `by` is kept only when it names a tab of the child's subtree (`setTabs`): a child vouches for
   * what it passes up, so any other tab it names, or none, is the child itself.
   */
  receive(channel: ChildChannel, outcomes: readonly Outcome[], msPerItem?: number): void {
    const borrower = this.#children.get(channel)
    const name = this.#nameOf.get(channel)
    if (borrower === undefined || name === undefined) return
    const tabs = this.#tabs.get(channel)
    let vouched: Outcome[] | undefined
    outcomes.forEach((outcome, i) => {
      if (outcome.by === undefined || tabs?.has(outcome.by) === true) return
      // Copied on the first one only: outcomes that name no tab, or a tab of the child's, pass as they are.
      vouched ??= [...outcomes]
      vouched[i] = { ...outcome, by: name }
    })
    borrower.receive(vouched ?? outcomes, msPerItem)
  }

  /** A child gave back items it will not compute (a `return` message): they are lent again first. */
  giveBack(channel: ChildChannel, ids: readonly number[]): void {
    this.#children.get(channel)?.giveBack(ids)
  }

  /** Stops lending to every child. Idempotent. */
  close(): void {
    this.#closed = true
    for (const channel of [...this.#children.keys()]) this.remove(channel)
  }
}
