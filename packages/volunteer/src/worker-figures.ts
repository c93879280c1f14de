// The monitoring figures a Worker gathers while it runs the module: how long each item took, and what the
// module reported with `require('pando-computing').report()`. Pure: used by the Worker, read by the page.

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
  /** The module's `report()` calls, if it made any. */
  readonly reported: ReportedFigures | undefined
}

/** Figures with nothing in them. */
export const NO_FIGURES: WorkerFigures = { items: 0, itemTime: 0, reported: undefined }

/** A finite number ≥ 0, else `fallback` (a module may pass anything). */
function amount(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : fallback
}

/** Units are short text; anything else is 'items'. */
const MAX_UNITS_LENGTH = 40

/**
 * Accumulates a Worker's figures between two `take()`s: the duration of each item it runs, and the module's
 * `report()` calls. A call's figures are read leniently, as the original did: a missing or bad `nbItems`
 * counts 1, missing times count 0, missing units are 'items'.
 */
export class FigureCounter {
  #items = 0
  #itemTime = 0
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

  /** An item starts, at `now` (ms). */
  begin(now: number): void {
    if (this.#running++ === 0) this.#busySince = now
  }

  /** An item ends, at `now` (ms). */
  end(now: number): void {
    this.#items += 1
    if (--this.#running === 0) this.#itemTime += amount(now - this.#busySince, 0)
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
    const figures = { items: this.#items, itemTime: this.#itemTime, reported }
    this.#items = 0
    this.#itemTime = 0
    this.#reported = { ...this.#reported, calls: 0, nbItems: 0, cpuTime: 0, dataTransferTime: 0 }
    return figures
  }
}
