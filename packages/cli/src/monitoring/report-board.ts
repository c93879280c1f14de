import { combineReports, type VolunteerReport } from '@pando/protocol'

/**
 * The latest status report of every volunteer, as they reach the root: from WebSocket volunteers
 * directly, and from the root's tree children for their whole subtree. Each report is filed under the
 * link it came by, so that a link that closes takes its volunteers' entries along.
 */
export class ReportBoard {
  readonly #bySource = new Map<unknown, Map<string, VolunteerReport>>()

  /** Files `reports` (one per volunteer, the latest wins) under `source`, replacing what it sent before. */
  update(source: unknown, reports: readonly VolunteerReport[]): void {
    const latest = new Map<string, VolunteerReport>()
    for (const report of combineReports(reports)) latest.set(report.id, report)
    this.#bySource.set(source, latest)
  }

  /** Forgets what `source` reported: its link closed. */
  remove(source: unknown): void {
    this.#bySource.delete(source)
  }

  /** One report per volunteer, those older than `maxAgeMs` left out. */
  current(now: number, maxAgeMs: number): VolunteerReport[] {
    const all = [...this.#bySource.values()].map((reports) => [...reports.values()])
    return combineReports(...all).filter((report) => now - report.timestamp < maxAgeMs)
  }
}
