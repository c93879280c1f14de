import { RunningStatistics, type Outcome, type Transport, type VolunteerReport } from '@pando/protocol'
import type { WorkerFigures } from './worker-figures.ts'

/** Where the volunteer is and what it holds: what only its transport knows, at the time of a report. */
export interface ReportPlace {
  /** The tree node's id, or the id the root's `welcome` gave. */
  readonly id: string
  /** 1 for a child of the root. */
  readonly depth: number
  /** The parent's id; `null` under the root. */
  readonly parent: string | null
  readonly children: number
  readonly transport: Transport
  /** Items held by this tab and its subtree. */
  readonly inFlight: number
}

/** What the volunteer offers, at the time of a report: its Workers, its CPU use, whether it is paused. */
export interface ReportOffer {
  readonly workers: number
  readonly cpuLimit: number
  readonly paused: boolean
}

/** A tab that says nothing of its offer: one Worker, no limit, not paused. */
const ONE_WORKER: ReportOffer = { workers: 1, cpuLimit: 100, paused: false }

/** Figures are rounded to this many decimals: finer is noise, and reports travel up the tree often. */
const DECIMALS = 3
const round = (value: number): number => Math.round(value * 10 ** DECIMALS) / 10 ** DECIMALS

/**
 * The busy share of the tab's Workers, 0 to 100: the items' time as a percentage of the interval, per Worker.
 * Unbounded, it exceeded 100: items of one batch run at once in a Worker (their waits overlap), a tab runs
 * several Workers, and a batch's whole time counts in the interval it ends in.
 */
export function busyPercent(itemTimePercent: number, workers: number): number {
  return Math.min(100, Math.max(0, itemTimePercent / Math.max(1, workers)))
}

function roundedStatistics(stats: RunningStatistics): VolunteerReport['throughputStats'] {
  const { average, standardDeviation, maximum, minimum } = stats.snapshot()
  return {
    average: round(average),
    standardDeviation: round(standardDeviation),
    maximum: round(maximum),
    minimum: round(minimum),
  }
}

/**
 * Builds a volunteer's periodic {@link VolunteerReport} from what its Worker did during the interval since
 * the previous report. With no `report()` call from the module, the figures are measured: `nbItems` is the
 * items the Worker ran and `cpuTime` the sum of their durations (timed in the Worker; items of a batch run
 * at once, so this may exceed the interval). From the module's first `report()` call on, its figures are
 * used instead, summed over the interval as the original Pando did. The statistics cover every interval so
 * far, this one included, with a true (population) standard deviation.
 */
export class ReportBuilder {
  readonly #now: () => number
  #intervalStart: number
  /** Whether the module ever called `report()`: its figures replace the measured ones for good. */
  #moduleReports = false
  #interval = { items: 0, itemTime: 0, nbItems: 0, cpuTime: 0, dataTransferTime: 0 }
  #units = 'items'
  #processed = 0
  /** The report built last (see `final`). */
  #last: VolunteerReport | undefined
  #failures = 0
  readonly #throughput = new RunningStatistics()
  readonly #cpuUsage = new RunningStatistics()
  readonly #dataTransferLoad = new RunningStatistics()

  /** @param now the time in ms since the epoch (report timestamps and interval lengths) */
  constructor(now: () => number = Date.now) {
    this.#now = now
    this.#intervalStart = now()
  }

  /** The Worker's figures for a batch it finished. */
  recordFigures(figures: WorkerFigures): void {
    const interval = this.#interval
    interval.items += figures.items
    interval.itemTime += figures.itemTime
    const reported = figures.reported
    if (reported === undefined) return
    this.#moduleReports = true
    interval.nbItems += reported.nbItems
    interval.cpuTime += reported.cpuTime
    interval.dataTransferTime += reported.dataTransferTime
    this.#units = reported.units
  }

  /** Outcomes of this tab's Worker, as they go out: the totals `processed` and `failures`. */
  recordOutcomes(outcomes: readonly Outcome[]): void {
    this.#processed += outcomes.length
    for (const outcome of outcomes) if (!outcome.ok) this.#failures += 1
  }

  /**
   * The last report of the run (the root waits for it before its last status): the counts as they stand
   * now, with the rates of the last whole interval, since the moments after the run ended measure nothing.
   */
  final(deviceName: string, place: ReportPlace, offer: ReportOffer = ONE_WORKER): VolunteerReport {
    const last = this.#last
    if (last === undefined) return this.build(deviceName, place, offer)
    return {
      ...last,
      ...this.#facts(deviceName, place, offer),
      timestamp: this.#now(),
    }
  }

  #facts(deviceName: string, place: ReportPlace, offer: ReportOffer) {
    return {
      id: place.id,
      deviceName,
      depth: place.depth,
      parent: place.parent,
      children: place.children,
      transport: place.transport,
      inFlight: place.inFlight,
      processed: this.#processed,
      failures: this.#failures,
      workers: offer.workers,
      cpuLimit: offer.cpuLimit,
      paused: offer.paused,
    } satisfies Partial<VolunteerReport>
  }

  /** The report of the interval that ends now; the next interval starts. */
  build(deviceName: string, place: ReportPlace, offer: ReportOffer = ONE_WORKER): VolunteerReport {
    const now = this.#now()
    const duration = Math.max(0, now - this.#intervalStart)
    const interval = this.#interval
    const nbItems = this.#moduleReports ? interval.nbItems : interval.items
    const cpuTime = this.#moduleReports ? interval.cpuTime : interval.itemTime
    const dataTransferTime = this.#moduleReports ? interval.dataTransferTime : 0
    const perSecond = (value: number): number => (duration > 0 ? (value * 1000) / duration : 0)
    const percent = (ms: number): number => (duration > 0 ? (ms * 100) / duration : 0)
    const throughput = perSecond(nbItems)
    const cpuUsage = busyPercent(percent(cpuTime), offer.workers)
    const dataTransferLoad = percent(dataTransferTime)
    this.#throughput.add(throughput)
    this.#cpuUsage.add(cpuUsage)
    this.#dataTransferLoad.add(dataTransferLoad)
    this.#intervalStart = now
    this.#interval = { items: 0, itemTime: 0, nbItems: 0, cpuTime: 0, dataTransferTime: 0 }
    this.#last = {
      ...this.#facts(deviceName, place, offer),
      timestamp: now,
      lastReportInterval: duration,
      nbItems: round(nbItems),
      units: this.#moduleReports ? this.#units : 'items',
      cpuTime: round(cpuTime),
      dataTransferTime: round(dataTransferTime),
      throughput: round(throughput),
      cpuUsage: round(cpuUsage),
      dataTransferLoad: round(dataTransferLoad),
      throughputStats: roundedStatistics(this.#throughput),
      cpuUsageStats: roundedStatistics(this.#cpuUsage),
      dataTransferStats: roundedStatistics(this.#dataTransferLoad),
    }
    return this.#last
  }
}
