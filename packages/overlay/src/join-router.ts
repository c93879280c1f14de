import type { Connector } from './channel.ts'
import type { Clock } from './clock.ts'
import { hashSlot } from './hash.ts'
import type { JoinSignalMessage, ToJoinerMessage } from './messages.ts'
import { chooseSlot, type RoutingPolicy } from './route-policy.ts'
import { RoutingTable } from './routing-table.ts'
import { slotLoad, SlotTable, type CandidateSlot, type ChildSlot } from './slots.ts'

/** Routing-table mark of an attempt accepted here: its late signals are dropped, not routed on. */
const ACCEPTED_HERE = -1
/** Routing-table mark of an attempt rejected here: its later signals are dropped without a word. */
const REJECTED = -2

/** What a {@link JoinRouter} needs from its node. */
export interface JoinRouterHost {
  readonly id: string
  readonly clock: Clock
  readonly connector: Connector
  /** Sends an answer signal or a rejection towards the root (and the joiner). */
  sendUp(message: ToJoinerMessage): void
  /** A candidate connected and now holds its slot as a child. */
  promoted(child: ChildSlot): void
  /** Loads changed: the node's subtree report is due. */
  changed(): void
}

/** Settings of a {@link JoinRouter}. */
export interface JoinRouterOptions {
  readonly degree: number
  readonly policy: RoutingPolicy
  readonly bootstrapTimeoutMs: number
  readonly routingTableSize: number
}

/** Counters of what a router did, for tests and monitoring. */
export interface JoinRouterStats {
  accepted: number
  delegated: number
  queued: number
  /** Later signals with no way to go (their path broke, or the attempt connected already). */
  dropped: number
  /** Attempts given up on here and reported to their joiner. */
  rejected: number
  /** Candidates that did not connect in time or failed. */
  candidatesLost: number
}

/**
 * A node's half of the join protocol: it accepts join attempts into free slots, delegates them to a child
 * slot when full, and sends every later signal of an attempt the way the first one went, using only what
 * this node knows. Requests for a slot whose candidate has not connected wait in that slot's queue.
 */
export class JoinRouter {
  readonly slots: SlotTable
  readonly stats: JoinRouterStats = {
    accepted: 0,
    delegated: 0,
    queued: 0,
    dropped: 0,
    rejected: 0,
    candidatesLost: 0,
  }
  private readonly table: RoutingTable
  private closed = false

  constructor(
    private readonly host: JoinRouterHost,
    private readonly options: JoinRouterOptions,
  ) {
    this.slots = new SlotTable(options.degree)
    this.table = new RoutingTable(options.routingTableSize, options.bootstrapTimeoutMs, host.clock)
  }

  /** Takes one signal of a joiner, from the relay (at the root) or from the parent. */
  handle(message: JoinSignalMessage): void {
    if (this.closed) return
    const candidate = this.slots.candidate(message.origin)
    if (candidate !== undefined) {
      this.signalCandidate(candidate, message)
      return
    }
    const routed = this.table.lookup(message.origin)
    if (routed !== undefined) this.forward(routed, message)
    else if (message.seq > 0) this.stray(message)
    else if (!this.slots.full) this.accept(message, this.slots.freeIndex())
    else this.delegate(message)
  }

  /**
   * Whether the attempt `origin` was routed to the child in `slot`: only that child may answer it, so a
   * child cannot answer (or reject) for joiners that are not in its subtree. An attempt this node has no
   * entry for was routed by the hash, if anywhere.
   */
  routedTo(origin: string, slot: number): boolean {
    const routed = this.table.lookup(origin)
    if (routed !== undefined) return routed === slot
    return hashSlot(origin, this.host.id, this.slots.degree) === slot
  }

  /** A child's channel closed: its slot is free and the attempts routed through it are forgotten. */
  childLeft(child: ChildSlot): void {
    if (this.slots.at(child.index) !== child) return
    this.slots.clear(child.index)
    this.table.forgetSlot(child.index)
    this.host.changed()
  }

  /**
   * The parent is gone: no signal of the attempts in progress can reach this node any more, so its
   * candidates, their queues and the routing table are dropped. Children stay.
   */
  reset(): void {
    for (const candidate of this.slots.candidates()) {
      candidate.queue.length = 0
      candidate.queuedWeight = 0
      candidate.channel.close()
    }
    this.table.clear()
  }

  /** Drops every candidate and stops taking signals. */
  close(): void {
    this.reset()
    this.closed = true
  }

  private signalCandidate(candidate: CandidateSlot, message: JoinSignalMessage): void {
    if (candidate.channel.state === 'closed') return
    candidate.channel.signal(message.signal)
  }

  /** A later signal whose attempt has no entry: the hash sent the first one, or its path is gone. */
  private stray(message: JoinSignalMessage): void {
    if (this.slots.full) this.forward(hashSlot(message.origin, this.host.id, this.options.degree), message)
    else this.reject(message.origin, 'its path through the tree broke')
  }

  /** Drops an attempt that cannot succeed and tells its joiner, once. */
  private reject(origin: string, reason: string): void {
    this.stats.dropped++
    if (this.table.lookup(origin) === REJECTED) return
    this.table.remember(origin, REJECTED)
    this.stats.rejected++
    this.host.sendUp({ type: 'join-rejected', origin, reason })
  }

  private delegate(message: JoinSignalMessage): void {
    const { policy, degree } = this.options
    let slot = chooseSlot(policy, message.origin, this.host.id, degree, (i) => slotLoad(this.slots.at(i)))
    // A full table keeps nothing: the hash then routes this attempt's first and later signals alike.
    if (!this.table.remember(message.origin, slot)) slot = hashSlot(message.origin, this.host.id, degree)
    this.stats.delegated++
    this.forward(slot, message)
  }

  private forward(index: number, message: JoinSignalMessage): void {
    if (index < 0) {
      this.stats.dropped++ // accepted or rejected here already: a late signal
      return
    }
    const slot = this.slots.at(index)
    if (slot === undefined || (slot.kind === 'child' && slot.channel.state !== 'open')) {
      this.reject(message.origin, 'the child it was routed to left')
      return
    }
    const weight = message.seq === 0 ? message.weight : 0
    if (slot.kind === 'candidate') {
      slot.queue.push(message)
      slot.queuedWeight += weight
      this.stats.queued++
    } else {
      slot.sent += weight
      slot.channel.send(message)
    }
    if (weight > 0) this.host.changed()
  }

  private accept(message: JoinSignalMessage, index: number): void {
    const { origin, weight } = message
    const channel = this.host.connector.create({ initiator: false })
    const candidate: CandidateSlot = {
      kind: 'candidate',
      index,
      origin,
      weight,
      channel,
      queue: [],
      queuedWeight: 0,
      timer: undefined,
    }
    this.slots.set(candidate)
    this.stats.accepted++
    channel.on('signal', (signal) => this.host.sendUp({ type: 'answer-signal', origin, signal }))
    channel.on('open', () => this.promote(candidate))
    channel.on('close', () => this.candidateClosed(candidate))
    candidate.timer = this.host.clock.setTimeout(() => channel.close(), this.options.bootstrapTimeoutMs)
    this.host.changed()
    channel.signal(message.signal)
  }

  private promote(candidate: CandidateSlot): void {
    if (this.slots.at(candidate.index) !== candidate) return
    this.host.clock.clearTimeout(candidate.timer)
    const child: ChildSlot = {
      kind: 'child',
      index: candidate.index,
      channel: candidate.channel,
      id: undefined,
      size: candidate.weight,
      pending: 0,
      workers: candidate.weight,
      roundTripMs: 0,
      sent: 0,
      received: 0,
    }
    this.slots.set(child)
    this.table.remember(candidate.origin, ACCEPTED_HERE)
    this.host.promoted(child)
    for (const message of candidate.queue) this.forward(child.index, message)
    this.host.changed()
  }

  /** A candidate failed or timed out: its slot is free, and what waited for it is routed again. */
  private candidateClosed(candidate: CandidateSlot): void {
    if (this.slots.at(candidate.index) !== candidate) return
    this.host.clock.clearTimeout(candidate.timer)
    this.slots.clear(candidate.index)
    this.stats.candidatesLost++
    this.reject(candidate.origin, 'its candidate channel closed before it opened')
    for (const message of candidate.queue) this.table.forget(message.origin)
    for (const message of candidate.queue) this.handle(message)
    this.host.changed()
  }
}
