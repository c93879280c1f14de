import { INITIAL_RING_CAPACITY } from './constants.ts'
import { Deque } from './deque.ts'
import { doubledRing } from './doubled-ring.ts'

/**
 * Where settled items wait to be emitted. Each item takes a place (`reserve`) when it is read and fills it
 * (`settle`) when it is done; `next` gives the next item to emit, if there is one yet.
 */
export interface Outbox<T> {
  /** Takes the place of a newly read item and returns its read position. */
  reserve(): number
  settle(position: number, value: T): void
  /** The next value to emit, removed from the outbox, or `undefined` when none may be emitted yet. */
  next(): T | undefined
  /** Whether `next` would give a value now. */
  hasNext(): boolean
}

/**
 * Emits in read order: a ring buffer indexed by read position, from the oldest item not yet emitted to the
 * newest read. It grows (doubling) only as far as the lender's window lets the span of pending items grow.
 */
export class ReorderWindow<T> implements Outbox<T> {
  private slots: (T | undefined)[] = new Array<T | undefined>(INITIAL_RING_CAPACITY)
  /** Read position of the oldest item not yet emitted, and its slot. */
  private headPosition = 0
  private headSlot = 0
  /** Items between the head and the newest read, inclusive. */
  private span = 0

  reserve(): number {
    if (this.span === this.slots.length) this.grow()
    this.span++
    return this.headPosition + this.span - 1
  }

  settle(position: number, value: T): void {
    this.slots[(this.headSlot + (position - this.headPosition)) % this.slots.length] = value
  }

  next(): T | undefined {
    if (this.span === 0) return undefined
    const value = this.slots[this.headSlot]
    if (value === undefined) return undefined
    this.slots[this.headSlot] = undefined
    this.headSlot = (this.headSlot + 1) % this.slots.length
    this.headPosition++
    this.span--
    return value
  }

  hasNext(): boolean {
    return this.span > 0 && this.slots[this.headSlot] !== undefined
  }

  private grow(): void {
    this.slots = doubledRing(this.slots, this.headSlot, this.span)
    this.headSlot = 0
  }
}

/** Emits in the order items settle (a relay node: its parent restores the order). */
export class ArrivalQueue<T> implements Outbox<T> {
  private readonly queue = new Deque<T>()
  private position = 0

  reserve(): number {
    return this.position++
  }

  settle(_position: number, value: T): void {
    this.queue.push(value)
  }

  next(): T | undefined {
    return this.queue.shift()
  }

  hasNext(): boolean {
    return this.queue.size > 0
  }
}
