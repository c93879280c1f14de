// The monitoring figures a Worker gathers while it runs the module: how long each item took, and what the
// module reported with `require('pando-computing').report()`. Pure: used by the Worker, read by the page.

import { MAX_UNITS_LENGTH } from '@pando/protocol'

/** Sums of the module's `report()` calls, as the original Pando accumulated them. */
export interface ReportedFigures {
  /** How many times the module called `report()`. */
  readonly calls: number
  /** Units processed: each call's `nbItems`, 1 when it gave none. */
  readonly nbItems: number
  /** The units of the latest call. @default 'items' */
  readonly units: string
  /** Ms of computation the calls reported. */
  readonly cpuTime: number
  /** Ms of data transfer the calls reported. */
  readonly dataTransferTime: number
}

/** What a Worker measured since its figures were last taken. */
export interface WorkerFigures {
  /** Items it ran to an outcome (function failures included). */
  readonly items: number
  /**
   * Ms during which the Worker was running at least one item, as it timed them: items of a batch overlap
   * (an async function waits), so this is busy time, never more than the time elapsed.
   */
  readonly itemTime: number
  /**
   * Ms its items took each, summed: from an item's start to its outcome, less the time the synchronous code
   * of the other items ran meanwhile. 50 timers of 1 s at once make 50,000 ms here and 1,000 of `itemTime`;
   * 50 synchronous items of 20 ms make 1,000 of both. `ownTime / items` is the honest time per item that
   * sizes batches and credit (`BatchSizing.reported`): items that wait do not look cheap.
   */
  readonly ownTime: number
  /** The module's `report()` calls, if it made any. */
  readonly reported: ReportedFigures | undefined
}

/** Figures with nothing in them. */
export const NO_FIGURES: WorkerFigures = { items: 0, itemTime: 0, ownTime: 0, reported: undefined }

/** One running item's times, for its own time (`WorkerFigures.ownTime`). */
export interface ItemTiming {
  readonly start: number
  /** The synchronous time of every item so far, when this one's synchronous code returned. */
  syncSpentAtReturn: number
}

/** The honest time per item of some figures, in ms, or `undefined` when they timed no item. */
export function ownTimePerItem(figures: WorkerFigures): number | undefined {
  return figures.items > 0 && figures.ownTime > 0 ? figures.ownTime / figures.items : undefined
}

/** A finite number ≥ 0, else `fallback` (a module may pass anything). */
function amount(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : fallback
}

/**
 * Accumulates a Worker's figures between two `take()`s: the duration of each item it runs, and the module's
 * `report()` calls. A call's figures are read leniently, as the original did: a missing or bad `nbItems`
 * counts 1, missing times count 0, missing units are 'items'.
 */
export class FigureCounter {
  #items = 0
  #itemTime = 0
  #ownTime = 0
  /** Ms the synchronous code of items took, since the Worker started (see `ownTime`). */
  #syncSpent = 0
  /** Items running now, and since when at least one has been. */
  #running = 0
  #busySince = 0
  #reported: { calls: number; nbItems: number; units: string; cpuTime: number; dataTransferTime: number } = {
    calls: 0,
    nbItems: 0,
    units: 'items',
    cpuTime: 0,
    dataTransferTime: 0,
  }

  /** An item starts, at `now` (ms); returns its timing, for `returned` and `end`. */
  begin(now: number): ItemTiming {
    if (this.#running++ === 0) this.#busySince = now
    return { start: now, syncSpentAtReturn: this.#syncSpent }
  }

  /** The item's function returned (its synchronous code ran), at `now` (ms). */
  returned(item: ItemTiming, now: number): void {
    this.#syncSpent += amount(now - item.start, 0)
    item.syncSpentAtReturn = this.#syncSpent
  }

  /** An item ends, at `now` (ms). */
  end(now: number, item?: ItemTiming): void {
    this.#items += 1
    if (--this.#running === 0) this.#itemTime += amount(now - this.#busySince, 0)
    if (item !== undefined)
      this.#ownTime += amount(now - item.start - (this.#syncSpent - item.syncSpentAtReturn), 0)
  }

  /** The module called `report(figures)`. */
  addReport(figures: unknown): void {
    const call = typeof figures === 'object' && figures !== null ? (figures as Record<string, unknown>) : {}
    const reported = this.#reported
    reported.calls += 1
    reported.nbItems += amount(call.nbItems, 1)
    reported.cpuTime += amount(call.cpuTime, 0)
    reported.dataTransferTime += amount(call.dataTransferTime, 0)
    if (typeof call.units === 'string' && call.units !== '')
      reported.units = call.units.slice(0, MAX_UNITS_LENGTH)
    else reported.units = 'items'
  }

  /** The figures since the previous `take()`, at `now` (ms); the counts start again from zero. */
  take(now: number): WorkerFigures {
    if (this.#running > 0) {
      this.#itemTime += amount(now - this.#busySince, 0)
      this.#busySince = now
    }
    const reported = this.#reported.calls === 0 ? undefined : { ...this.#reported }
    const figures = { items: this.#items, itemTime: this.#itemTime, ownTime: this.#ownTime, reported }
    this.#items = 0
    this.#itemTime = 0
    this.#ownTime = 0
    this.#reported = { ...this.#reported, calls: 0, nbItems: 0, cpuTime: 0, dataTransferTime: 0 }
    return figures
  }
}
