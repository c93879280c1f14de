import { INITIAL_RING_CAPACITY } from './constants.ts'
import { doubledRing } from './doubled-ring.ts'

/**
 * A double-ended queue on a growable ring buffer: O(1) push, shift and unshift, where
 * `Array.prototype.shift` would copy the whole array on every call once it is large.
 */
export class Deque<T> {
  private slots: (T | undefined)[] = new Array<T | undefined>(INITIAL_RING_CAPACITY)
  private head = 0
  private count = 0

  get size(): number {
    return this.count
  }

  push(value: T): void {
    if (this.count === this.slots.length) this.grow()
    this.slots[(this.head + this.count) % this.slots.length] = value
    this.count++
  }

  unshift(value: T): void {
    if (this.count === this.slots.length) this.grow()
    this.head = (this.head + this.slots.length - 1) % this.slots.length
    this.slots[this.head] = value
    this.count++
  }

  shift(): T | undefined {
    if (this.count === 0) return undefined
    const value = this.slots[this.head]
    this.slots[this.head] = undefined
    this.head = (this.head + 1) % this.slots.length
    this.count--
    return value
  }

  /** The first value, left in place. */
  peek(): T | undefined {
    return this.count === 0 ? undefined : this.slots[this.head]
  }

  clear(): void {
    this.slots = new Array<T | undefined>(INITIAL_RING_CAPACITY)
    this.head = 0
    this.count = 0
  }

  private grow(): void {
    this.slots = doubledRing(this.slots, this.head, this.count)
    this.head = 0
  }
}
