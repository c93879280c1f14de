import type { Job } from '@pando/protocol'

/**
 * The lender's record of one item read from the input, from its read until it is emitted. It is held by at
 * most two sub-streams at once: the one it was lent to and, when it straggles at the head of the reorder
 * window, a speculative copy's.
 */
export interface Item {
  readonly job: Job
  /** Its read position (0 for the first item read), which orders the output. */
  readonly position: number
  /** How many times the user's function failed on it. */
  failures: number
  /** The borrowers whose function failed on it, so that a retry goes elsewhere when it can. */
  failedBy: Set<object> | undefined
  /** It has its result (or its final failure): any later outcome for it is ignored, it is never lent again. */
  settled: boolean
  /**
   * The sub-stream holding it, if one does (the older lending when two do), and when it got it (clock ms;
   * NaN when it was not timed: see the lender).
   */
  holder: object | undefined
  lentAt: number
  /** The second sub-stream holding it, a speculative copy, and when it got it. */
  copyHolder: object | undefined
  copyLentAt: number
}

export function newItem(job: Job, position: number): Item {
  return {
    job,
    position,
    failures: 0,
    failedBy: undefined,
    settled: false,
    holder: undefined,
    lentAt: 0,
    copyHolder: undefined,
    copyLentAt: 0,
  }
}

/** Records that `holder` got the item at `at`; returns whether that is a second holding (a copy). */
export function hold(item: Item, holder: object, at: number): boolean {
  if (item.holder === undefined) {
    item.holder = holder
    item.lentAt = at
    return false
  }
  item.copyHolder = holder
  item.copyLentAt = at
  return true
}

/**
 * Records that `holder` no longer holds the item (it answered, or closed) and returns when it got it. The
 * other holding, if any, becomes the item's only one.
 */
export function unhold(item: Item, holder: object): number {
  if (item.copyHolder === holder) {
    item.copyHolder = undefined
    return item.copyLentAt
  }
  const at = item.lentAt
  if (item.holder === holder) {
    item.holder = item.copyHolder
    item.lentAt = item.copyLentAt
    item.copyHolder = undefined
  }
  return at
}
