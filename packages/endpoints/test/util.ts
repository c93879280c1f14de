import type { VolunteerReport } from '@pando/protocol'
import type { InternalErrorReporter, ReportSink } from '../src/index.ts'

/** A {@link ReportSink} that keeps what it is told, per link (spy on it to make it fail). */
export class TestBoard implements ReportSink {
  readonly reports = new Map<unknown, readonly VolunteerReport[]>()
  readonly outcomes = new Map<unknown, number>()

  update(link: unknown, reports: readonly VolunteerReport[]): void {
    this.reports.set(link, reports)
  }

  countOutcomes(link: unknown, count: number): void {
    this.outcomes.set(link, (this.outcomes.get(link) ?? 0) + count)
  }

  remove(link: unknown): void {
    this.reports.delete(link)
    this.outcomes.delete(link)
  }
}

/** An {@link InternalErrorReporter} that keeps what it was told, as `[while_, error]` pairs. */
export function internalErrors(): {
  readonly report: InternalErrorReporter
  readonly seen: [string, unknown][]
} {
  const seen: [string, unknown][] = []
  return { report: (while_, error) => seen.push([while_, error]), seen }
}
