import type { PeerChannel } from './channel.ts'
import type { TimerHandle } from './clock.ts'
import type { JoinSignalMessage } from './messages.ts'

/** A slot held by a joiner that was accepted here and has not connected yet. */
export interface CandidateSlot {
  readonly kind: 'candidate'
  readonly index: number
  /** The join attempt it answers. */
  readonly origin: string
  /** Nodes it brings (see {@link JoinSignalMessage.weight}). */
  readonly weight: number
  readonly channel: PeerChannel
  /** Signals routed to this slot, waiting for the candidate to become a child; sent to it in order. */
  readonly queue: JoinSignalMessage[]
  /** Total weight of the first signals in `queue`. */
  queuedWeight: number
  timer: TimerHandle | undefined
}

/** A slot held by a connected child, with what this node knows of the child's subtree. */
export interface ChildSlot {
  readonly kind: 'child'
  readonly index: number
  readonly channel: PeerChannel
  /** The child's node id, once it reported. */
  id: string | undefined
  /** Connected nodes in its subtree, as last reported (its weight until then). */
  size: number
  /** Nodes on their way into its subtree, as last reported. */
  pending: number
  /** Workers in its subtree, as last reported. */
  workers: number
  /** The round trip to it in ms, as the link's heartbeats last measured it; 0 until then. */
  roundTripMs: number
  /** Weight of first signals sent to it. */
  sent: number
  /** Of `sent`, what its last report said it had received (and counted in `size` + `pending`). */
  received: number
}

/** One of a node's `degree` places for a child. */
export type Slot = CandidateSlot | ChildSlot

/** What a subtree holds, as a node adds it up. */
export interface SubtreeTotals {
  readonly size: number
  readonly pending: number
  readonly workers: number
}

/** A slot's load: the nodes in and on their way into the subtree behind it, as this node knows them. */
export function slotLoad(slot: Slot | undefined): number {
  if (slot === undefined) return 0
  if (slot.kind === 'candidate') return slot.weight + slot.queuedWeight
  return slot.size + slot.pending + slot.sent - slot.received
}

/**
 * A node's slots. A candidate and a child each take one; `degree` bounds the two together, so a node never
 * has more than `degree` children, nor more channels to children than that.
 */
export class SlotTable {
  private readonly slots: Array<Slot | undefined>
  private readonly byOrigin = new Map<string, CandidateSlot>()
  private used = 0

  constructor(readonly degree: number) {
    this.slots = new Array<Slot | undefined>(degree).fill(undefined)
  }

  /** Slots taken by candidates and children. */
  get occupied(): number {
    return this.used
  }

  get full(): boolean {
    return this.used >= this.degree
  }

  at(index: number): Slot | undefined {
    return this.slots[index]
  }

  /** The candidate answering `origin`, if this node holds one. */
  candidate(origin: string): CandidateSlot | undefined {
    return this.byOrigin.get(origin)
  }

  /** The lowest free slot, or -1 when full. */
  freeIndex(): number {
    if (this.full) return -1
    return this.slots.indexOf(undefined)
  }

  /** Puts `slot` at its index, replacing what was there. */
  set(slot: Slot): void {
    this.clear(slot.index)
    this.slots[slot.index] = slot
    this.used++
    if (slot.kind === 'candidate') this.byOrigin.set(slot.origin, slot)
  }

  /** Frees a slot. */
  clear(index: number): void {
    const slot = this.slots[index]
    if (slot === undefined) return
    if (slot.kind === 'candidate') this.byOrigin.delete(slot.origin)
    this.slots[index] = undefined
    this.used--
  }

  /** Every occupied slot, in index order. */
  occupiedSlots(): Slot[] {
    return this.slots.filter((slot): slot is Slot => slot !== undefined)
  }

  /** Connected children, in slot order. */
  children(): ChildSlot[] {
    return this.slots.filter((slot): slot is ChildSlot => slot?.kind === 'child')
  }

  candidates(): CandidateSlot[] {
    return [...this.byOrigin.values()]
  }

  /** What the slots hold, added up (the node itself not included). */
  totals(): SubtreeTotals {
    let size = 0
    let pending = 0
    let workers = 0
    for (const slot of this.slots) {
      if (slot === undefined) continue
      if (slot.kind === 'candidate') {
        pending += slot.weight + slot.queuedWeight
      } else {
        size += slot.size
        pending += slot.pending + slot.sent - slot.received
        workers += slot.workers
      }
    }
    return { size, pending, workers }
  }
}
