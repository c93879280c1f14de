import { combineReports, type VolunteerReport } from '@pando/protocol'

/**
 * The latest status report of every volunteer, as they reach the root: from WebSocket volunteers
 * directly, and from the root's tree children for their whole subtree. Each report is filed under the
 * link it came by, so that a link that closes takes its volunteers' entries along.
 */
export class ReportBoard {
  readonly #bySource = new Map<unknown, Map<string, VolunteerReport>>()
  /** Outcomes each link sent (failures included), counted by the root as they arrive. */
  readonly #outcomes = new Map<unknown, number>()

  /** Files `reports` (one per volunteer, the latest wins) under `source`, replacing what it sent before. */
  update(source: unknown, reports: readonly VolunteerReport[]): void {
    const latest = new Map<string, VolunteerReport>()
    for (const report of combineReports(reports)) latest.set(report.id, report)
    this.#bySource.set(source, latest)
  }

  /** Counts `count` outcomes that came by `source`. */
  countOutcomes(source: unknown, count: number): void {
    this.#outcomes.set(source, (this.#outcomes.get(source) ?? 0) + count)
  }

  /** Forgets what `source` reported: its link closed. */
  remove(source: unknown): void {
    this.#bySource.delete(source)
    this.#outcomes.delete(source)
  }

  /** One report per volunteer, those older than `maxAgeMs` left out. */
  current(now: number, maxAgeMs: number): VolunteerReport[] {
    const all = [...this.#bySource.values()].map((reports) => [...reports.values()])
    return combineReports(...all).filter((report) => now - report.timestamp < maxAgeMs)
  }

  /**
   * The reports at the end of the run, when every item is settled: none is in flight any more, and a link
   * with a single volunteer behind it (a WebSocket volunteer, a tree child without children) is credited
   * with every outcome the root received from it, those sent after its last report included. (The
   * volunteers of a deeper subtree keep their last reported counts: the root cannot tell them apart.)
   */
  final(now: number, maxAgeMs: number): VolunteerReport[] {
    const all = [...this.#bySource].map(([source, reports]) => {
      const list = [...reports.values()]
      const only = list.length === 1 ? list[0] : undefined
      const received = this.#outcomes.get(source) ?? 0
      return only === undefined
        ? list
        : [{ ...only, processed: Math.max(only.processed, received), timestamp: now }]
    })
    return combineReports(...all)
      .filter((report) => now - report.timestamp < maxAgeMs)
      .map((report) => ({ ...report, inFlight: 0 }))
  }
}
