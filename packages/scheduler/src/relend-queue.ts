import { Deque } from './deque.ts'
import type { Item } from './item.ts'

/**
 * Items to lend again, served before new input: those a closed sub-stream held, and those whose function
 * failed and have retries left. An item is not given back to a borrower that failed it while another
 * borrower that has not may take it.
 */
export class RelendQueue {
  private readonly queue = new Deque<Item>()

  get size(): number {
    return this.queue.size
  }

  push(item: Item): void {
    this.queue.push(item)
  }

  /** Puts an item a borrower gave back before all others: it waited longest. */
  pushFront(item: Item): void {
    this.queue.unshift(item)
  }

  /**
   * Moves up to `max` items into `into`, oldest first. An item `leave(item)` says is for someone else (the
   * borrower failed it, or fails more than it computes, and a better one may take it; or the placement
   * keeps it from this borrower) is left in place.
   */
  take(max: number, into: Item[], leave: (item: Item) => boolean): void {
    let skipped: Item[] | undefined
    let left = this.queue.size
    while (into.length < max && left-- > 0) {
      const item = this.queue.shift() as Item
      if (leave(item)) (skipped ??= []).push(item)
      else into.push(item)
    }
    // Put the skipped items back at the front, in their order, so they keep their priority.
    for (let i = (skipped?.length ?? 0) - 1; i >= 0; i--) this.queue.unshift((skipped as Item[])[i] as Item)
  }

  /** Empties the queue and returns what it held, oldest first. */
  drain(): Item[] {
    const items: Item[] = []
    for (let item = this.queue.shift(); item !== undefined; item = this.queue.shift()) items.push(item)
    return items
  }
}
