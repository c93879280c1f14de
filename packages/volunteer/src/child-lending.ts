import type { ChildInfo, PeerChannel } from '@pando/overlay'
import type { Job, Outcome, TreeWorkMessage } from '@pando/protocol'
import { lendToRemote, type Lender, type RemoteBorrower, type SubStream } from '@pando/scheduler'

/** What a child may hold: two batches per worker in its subtree, so one travels while the other computes. */
export function childCredit(batchSize: number, workers: number): number {
  // A child reports its workers: capped, so that a hostile one cannot make the credit an unsafe integer.
  return Math.min(Number.MAX_SAFE_INTEGER, 2 * batchSize * workers)
}

interface Lending {
  readonly subStream: SubStream
  readonly borrower: RemoteBorrower
}

/**
 * Lends a lender's items to the children of a tree node: one sub-stream per child, whose jobs go down the
 * child's channel as `jobs` messages of at most `batchSize` jobs, and whose credit follows the workers the
 * child reports. Outcomes the child sends come back through `receive`, matched by channel. A child that leaves
 * is closed, and what it held is lent again to the others. Used by tabs and by a Node root alike.
 */
export class ChildLending {
  readonly #lender: Lender
  readonly #batchSize: number
  readonly #children = new Map<PeerChannel, Lending>()
  #closed = false

  constructor(lender: Lender, batchSize: number) {
    this.#lender = lender
    this.#batchSize = batchSize
  }

  /** Starts lending to a child (again a no-op for one already lent to). */
  add(child: ChildInfo): void {
    const channel = child.channel
    if (this.#closed || this.#children.has(channel)) return
    const subStream = this.#lender.lendStream({
      credit: childCredit(this.#batchSize, child.workers),
      name: child.id ?? `child ${String(child.index)}`,
    })
    const send = (jobs: Job[]): void => {
      // Jobs that cannot be sent stay held by the sub-stream until the channel's close (`remove`) lends them
      // again; a send that fails on an open channel closes it, so that this happens.
      if (channel.state !== 'open') return
      try {
        channel.send({ type: 'jobs', jobs } satisfies TreeWorkMessage)
      } catch {
        channel.close()
      }
    }
    this.#children.set(channel, { subStream, borrower: lendToRemote(subStream, send, this.#batchSize) })
  }

  /** The child reported its subtree: its credit follows its workers. */
  update(child: ChildInfo): void {
    const lending = this.#children.get(child.channel)
    if (lending === undefined) this.add(child)
    else lending.subStream.setCredit(childCredit(this.#batchSize, child.workers))
  }

  /** The child left: what it held is lent again. */
  remove(channel: PeerChannel): void {
    this.#children.get(channel)?.borrower.close(new Error('the child left'))
    this.#children.delete(channel)
  }

  /** Hands a child's outcomes to the lender; false if `channel` is no child being lent to. */
  receive(channel: PeerChannel, outcomes: readonly Outcome[]): boolean {
    const lending = this.#children.get(channel)
    lending?.borrower.receive(outcomes)
    return lending !== undefined
  }

  /** Stops lending to every child. Idempotent. */
  close(): void {
    this.#closed = true
    for (const channel of [...this.#children.keys()]) this.remove(channel)
  }
}
