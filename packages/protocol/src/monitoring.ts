/**
 * Monitoring: what volunteers report about themselves, how reports are combined on their way up the tree,
 * and what the root pushes to the dashboards (`/monitor/feed`). Also renders the root's status in the
 * original Pando's `DEBUG=pando-computing:monitoring` shape, so analysis scripts written for it still work.
 */

/** Summary of one figure over every reporting interval of a volunteer so far. */
export interface Statistics {
  readonly average: number
  /** The population standard deviation (the original's "standard-deviation" was a mean absolute deviation). */
  readonly standardDeviation: number
  readonly maximum: number
  readonly minimum: number
}

/** How a volunteer is connected to its parent. */
export type Transport = 'webrtc' | 'websocket'

/**
 * A volunteer's periodic status, sent every reporting interval and passed up the tree unchanged. The first
 * fields are the original's monitoring object (same names, same meaning, including `dataTransferStats`);
 * the others are new.
 */
export interface VolunteerReport {
  /** The volunteer's id, as the root gave it; unique within a run. */
  readonly id: string
  /** The name the volunteer chose for its device (may be empty). */
  readonly deviceName: string
  /** When the volunteer made this report, in ms since the epoch, by its own clock. */
  readonly timestamp: number
  /** Ms since the volunteer's previous report (the length of the interval the figures below cover). */
  readonly lastReportInterval: number
  /** Units processed during the interval: items, or what the module counts with `report({ nbItems })`. */
  readonly nbItems: number
  /** Name of those units. @default 'items' */
  readonly units: string
  /** Ms of computation during the interval (measured per item, or reported by the module). */
  readonly cpuTime: number
  /** Ms spent transferring data during the interval, as reported by the module. */
  readonly dataTransferTime: number
  /** `nbItems` per second over the interval. */
  readonly throughput: number
  /**
   * How busy the tab's Workers were: `cpuTime` as a percentage of the interval, per Worker, at most 100
   * (items that overlap in a Worker, and a batch counted in the interval it ends in, would take it over).
   */
  readonly cpuUsage: number
  /** `dataTransferTime` as a percentage of the interval. */
  readonly dataTransferLoad: number
  readonly throughputStats: Statistics
  readonly cpuUsageStats: Statistics
  readonly dataTransferStats: Statistics
  /** Distance from the root: 1 for a volunteer connected to the root itself. */
  readonly depth: number
  /** Id of the volunteer it is connected to, or `null` when connected to the root. */
  readonly parent: string | null
  /** How many volunteers are connected to it directly. */
  readonly children: number
  readonly transport: Transport
  /** Items it holds now (given to it or its subtree, no outcome yet). */
  readonly inFlight: number
  /** Items it has processed since it joined (outcomes it sent, failures included). */
  readonly processed: number
  /** Items on which the module failed on this volunteer since it joined. */
  readonly failures: number
  /** Workers the tab runs, 1 to `MAX_TAB_WORKERS` (absent from a page that does not say: 1). */
  readonly workers?: number
  /** Its CPU-use setting: the share of each Worker's time it computes, in percent (absent: 100, no limit). */
  readonly cpuLimit?: number
  /** Whether its volunteer paused it: it starts no item, and its subtree keeps working (absent: false). */
  readonly paused?: boolean
}

/** One edge of the volunteer tree: `parent` is `null` for a child of the root. */
export interface TreeEdge {
  readonly id: string
  readonly parent: string | null
}

/**
 * What the run knows of one volunteer's results, when it replicates or spot-checks (`--replicas`,
 * `--spot-check`: the scheduler's SPEC 52–58). Counted per volunteer the root lends to.
 */
export interface VolunteerStanding {
  /** The volunteer's id (a report's `id`), or `local` for the root's own computation. */
  readonly id: string
  /** Items where its result was the one agreed. */
  readonly agreed: number
  /** Items where its result lost the vote, or differed from the root's own on a spot check. */
  readonly outvoted: number
  /** Of those, the spot checks it failed. */
  readonly caught: number
  /** Attempts on which the module failed on it (each one, retried elsewhere or not). */
  readonly failed: number
  /** Of those, the item timeouts. */
  readonly timedOut: number
  /** `--replicas auto`: it has earned trust, and computes items alone (one in ten re-checked). */
  readonly trusted: boolean
  /** Set once it is excluded: why (its results were outvoted, or it was caught by a spot check). */
  readonly excluded?: string
}

/** The root's status, pushed to every dashboard each reporting interval (and to a viewer that connects). */
export interface MonitorStatus {
  readonly type: 'status'
  /** When the root made it, in ms since the epoch. */
  readonly timestamp: number
  readonly run: {
    /** When the run started, in ms since the epoch. */
    readonly startedAt: number
    readonly elapsedMs: number
    /** How many items the run has, when known (items given as arguments); `null` for a stream. */
    readonly itemsTotal: number | null
    /** The run is over: this is its last status, sent before the root exits (absent: not over). */
    readonly ended?: true
  }
  readonly totals: {
    /** Items read from the input so far. */
    readonly read: number
    /** Items whose result is known (written, or about to be in input order). */
    readonly done: number
    /** Items held by volunteers (or by the root itself) now. */
    readonly inFlight: number
    /** Times an item was lent again after its volunteer left. */
    readonly relent: number
    /** Failures of the module on an item (each retry that fails counts). */
    readonly failed: number
    /** Volunteers connected now. */
    readonly volunteers: number
    /** Items per second now (over the last few seconds). */
    readonly rate: number
    /** Items per second since the start. */
    readonly averageRate: number
  }
  /** One report per volunteer, wherever it is in the tree. */
  readonly volunteers: readonly VolunteerReport[]
  readonly tree: readonly TreeEdge[]
  /**
   * Each volunteer's standing, those that left or were excluded included, when the run replicates or
   * spot-checks (absent otherwise).
   */
  readonly standings?: readonly VolunteerStanding[]
}

/** Messages on the dashboards' WebSocket (`/monitor/feed`), root to viewer. Viewers send nothing. */
export type MonitorMessage = MonitorStatus

/**
 * Mean, standard deviation, minimum and maximum of a stream of numbers, in constant memory (Welford's
 * algorithm, numerically stable). With no value yet, every statistic is 0.
 */
export class RunningStatistics {
  #count = 0
  #mean = 0
  #m2 = 0
  #minimum = Infinity
  #maximum = -Infinity

  get count(): number {
    return this.#count
  }

  add(value: number): void {
    this.#count += 1
    const delta = value - this.#mean
    this.#mean += delta / this.#count
    this.#m2 += delta * (value - this.#mean)
    if (value < this.#minimum) this.#minimum = value
    if (value > this.#maximum) this.#maximum = value
  }

  /** The statistics so far; the standard deviation is the population one (divided by n). */
  snapshot(): Statistics {
    if (this.#count === 0) return { average: 0, standardDeviation: 0, maximum: 0, minimum: 0 }
    return {
      average: this.#mean,
      standardDeviation: Math.sqrt(Math.max(0, this.#m2 / this.#count)),
      maximum: this.#maximum,
      minimum: this.#minimum,
    }
  }
}

/** The statistics of `values` (see `RunningStatistics`). */
export function statisticsOf(values: Iterable<number>): Statistics {
  const running = new RunningStatistics()
  for (const value of values) running.add(value)
  return running.snapshot()
}

/** True when `a` is a later report than `b` of the same volunteer; ties are broken so the order is total. */
function isLater(a: VolunteerReport, b: VolunteerReport): boolean {
  if (a.timestamp !== b.timestamp) return a.timestamp > b.timestamp
  if (a.processed !== b.processed) return a.processed > b.processed
  return JSON.stringify(a) > JSON.stringify(b)
}

/**
 * Merges groups of reports (a node's own and those its children passed up) into one report per
 * volunteer: of several reports of the same volunteer, the latest by `timestamp` wins. Commutative,
 * associative and idempotent, so it does not matter how reports travel; volunteers keep the order in
 * which they first appear.
 */
export function combineReports(...groups: ReadonlyArray<readonly VolunteerReport[]>): VolunteerReport[] {
  const latest = new Map<string, VolunteerReport>()
  for (const group of groups) {
    for (const report of group) {
      const known = latest.get(report.id)
      if (known === undefined || isLater(report, known)) latest.set(report.id, report)
    }
  }
  return [...latest.values()]
}

/** The reports made less than `maxAgeMs` before `now` (volunteers that left stop reporting). */
export function withoutStaleReports(
  reports: readonly VolunteerReport[],
  now: number,
  maxAgeMs: number,
): VolunteerReport[] {
  return reports.filter((report) => now - report.timestamp < maxAgeMs)
}

/** The tree the reports describe: one edge per volunteer, to its parent. */
export function treeOfReports(reports: readonly VolunteerReport[]): TreeEdge[] {
  return reports.map((report) => ({ id: report.id, parent: report.parent }))
}

/** Statistics as the original wrote them: strings with two decimals, and a hyphenated key. */
export interface OriginalStatistics {
  readonly average: string
  readonly 'standard-deviation': string
  readonly maximum: string
  readonly minimum: string
}

/** A volunteer's monitoring object as the original's volunteers sent it. */
export interface OriginalPerformance {
  readonly id: string
  readonly cpuTime: number
  readonly dataTransferTime: number
  readonly nbItems: number
  readonly units: string
  readonly deviceName: string
  readonly throughput: number
  readonly throughputStats: OriginalStatistics
  readonly cpuUsage: number
  readonly cpuUsageStats: OriginalStatistics
  readonly dataTransferLoad: number
  readonly dataTransferStats: OriginalStatistics
}

/**
 * One entry of the original's `volunteers` (and `root.children`): `{id, timestamp, lastReportInterval,
 * performance}`. `nbItems` and `deviceName` are also copied next to `lastReportInterval`, where the original's
 * analysis script (handbook `analysis/throughputs.js`) reads them.
 */
export interface OriginalVolunteerStatus {
  readonly id: string
  /** ISO 8601, as `JSON.stringify(new Date())` wrote it. */
  readonly timestamp: string
  readonly lastReportInterval: number
  readonly performance: OriginalPerformance
  readonly nbItems: number
  readonly deviceName: string
}

/** The root's own summary in the original's shape (its tree node's `'status'` event). */
export interface OriginalRootStatus {
  readonly id: string
  /** Items the root holds that have no result yet. */
  readonly unprocessedInputs: number
  /** Whether the root computes too; this status does not say, so `false`. */
  readonly processing: boolean
  /** Volunteers under the root (the original counted descendants, not direct children). */
  readonly childrenNb: number
  /** Volunteers with no children. */
  readonly nbLeafNodes: number
  readonly lendStreamState: {
    readonly connected: boolean
    readonly ended: boolean
    readonly closed: boolean
    readonly openedNb: number
    readonly lendState: { readonly readNb: number; readonly sourcedNb: number; readonly pendingNb: number }
  }
  /** The original's per-child credit; not tracked here, so empty. */
  readonly limits: Record<string, number>
  /** Items each direct child holds. */
  readonly childrenUnprocessedInputs: Record<string, number>
  /** Sums over the direct children, as the original did (statistics as numbers, summed). */
  readonly performance: {
    readonly id: string
    readonly deviceName: string
    readonly nbItems: number
    readonly units: string
    readonly throughput: number
    readonly throughputStats: OriginalSummedStatistics
    readonly cpuUsage: number
    readonly cpuUsageStats: OriginalSummedStatistics
    readonly dataTransferLoad: number
    readonly dataTransferStats: OriginalSummedStatistics
  }
  /** The direct children. */
  readonly children: Record<string, OriginalVolunteerStatus>
}

/** The root's summed statistics: numbers, not strings, in the original. */
export interface OriginalSummedStatistics {
  readonly minimum: number
  readonly average: number
  readonly maximum: number
  readonly 'standard-deviation': number
}

/** The line the original logged with `DEBUG=pando-computing:monitoring`, as an object. */
export interface OriginalMonitoringStatus {
  readonly root: OriginalRootStatus
  /** Every volunteer, keyed by id (the original listed only the root's direct children for WebRTC). */
  readonly volunteers: Record<string, OriginalVolunteerStatus>
  /** ISO 8601. */
  readonly timestamp: string
}

/** The id the root has in the original's shape (its volunteers call it their parent `null`). */
export const ROOT_ID = 'root'

function originalStatistics(stats: Statistics): OriginalStatistics {
  return {
    average: stats.average.toFixed(2),
    'standard-deviation': stats.standardDeviation.toFixed(2),
    maximum: stats.maximum.toFixed(2),
    minimum: stats.minimum.toFixed(2),
  }
}

function originalVolunteer(report: VolunteerReport): OriginalVolunteerStatus {
  return {
    id: report.id,
    timestamp: new Date(report.timestamp).toISOString(),
    lastReportInterval: report.lastReportInterval,
    performance: {
      id: report.id,
      cpuTime: report.cpuTime,
      dataTransferTime: report.dataTransferTime,
      nbItems: report.nbItems,
      units: report.units,
      deviceName: report.deviceName,
      throughput: report.throughput,
      throughputStats: originalStatistics(report.throughputStats),
      cpuUsage: report.cpuUsage,
      cpuUsageStats: originalStatistics(report.cpuUsageStats),
      dataTransferLoad: report.dataTransferLoad,
      dataTransferStats: originalStatistics(report.dataTransferStats),
    },
    nbItems: report.nbItems,
    deviceName: report.deviceName,
  }
}

function summed(
  reports: readonly VolunteerReport[],
  pick: (r: VolunteerReport) => Statistics,
): OriginalSummedStatistics {
  const sum = (f: (s: Statistics) => number): number => reports.reduce((total, r) => total + f(pick(r)), 0)
  return {
    minimum: sum((s) => s.minimum),
    average: sum((s) => s.average),
    maximum: sum((s) => s.maximum),
    'standard-deviation': sum((s) => s.standardDeviation),
  }
}

/**
 * The status in the original Pando's `DEBUG=pando-computing:monitoring` shape: `{root, volunteers: {id:
 * {id, timestamp, lastReportInterval, performance}}, timestamp}`. Unlike the original, `volunteers` lists
 * every volunteer of the tree, not only the root's direct children.
 */
export function toOriginalMonitoringStatus(status: MonitorStatus): OriginalMonitoringStatus {
  const volunteers: Record<string, OriginalVolunteerStatus> = {}
  for (const report of status.volunteers) volunteers[report.id] = originalVolunteer(report)
  const direct = status.volunteers.filter((report) => report.parent === null)
  const children: Record<string, OriginalVolunteerStatus> = {}
  const childrenUnprocessedInputs: Record<string, number> = {}
  for (const report of direct) {
    children[report.id] = originalVolunteer(report)
    childrenUnprocessedInputs[report.id] = report.inFlight
  }
  const units = direct[0]?.units ?? 'items'
  const total = (f: (r: VolunteerReport) => number): number => direct.reduce((sum, r) => sum + f(r), 0)
  const { totals } = status
  return {
    root: {
      id: ROOT_ID,
      unprocessedInputs: totals.inFlight,
      processing: false,
      childrenNb: status.volunteers.length,
      nbLeafNodes: status.volunteers.filter((report) => report.children === 0).length,
      lendStreamState: {
        connected: true,
        ended: status.run.itemsTotal !== null && totals.read >= status.run.itemsTotal,
        closed: false,
        openedNb: direct.length,
        lendState: { readNb: totals.read, sourcedNb: totals.done, pendingNb: totals.inFlight },
      },
      limits: {},
      childrenUnprocessedInputs,
      performance: {
        id: ROOT_ID,
        deviceName: '',
        nbItems: total((r) => r.nbItems),
        units,
        throughput: total((r) => r.throughput),
        throughputStats: summed(direct, (r) => r.throughputStats),
        cpuUsage: 0,
        cpuUsageStats: summed(direct, (r) => r.cpuUsageStats),
        dataTransferLoad: 0,
        dataTransferStats: summed(direct, (r) => r.dataTransferStats),
      },
      children,
    },
    volunteers,
    timestamp: new Date(status.timestamp).toISOString(),
  }
}
