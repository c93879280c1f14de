import {
  combineReports,
  MAX_MONITORED_VOLUNTEERS,
  withoutStaleReports,
  type VolunteerReport,
} from '@pando/protocol'
import { MAX_TREE_STATUS_BYTES } from './constants.ts'

const encoder = new TextEncoder()

/**
 * The reports to send up, in at most `maxBytes` of JSON and `MAX_MONITORED_VOLUNTEERS` entries: the first
 * one (the tab's own) always, then the others by depth, shallowest first (a volunteer's ancestors before
 * it), as long as they fit.
 */
export function boundReports(
  reports: readonly VolunteerReport[],
  maxBytes = MAX_TREE_STATUS_BYTES,
): VolunteerReport[] {
  const [own, ...others] = reports
  if (own === undefined) return []
  const kept = [own]
  // The message around the list, `{"type":"status","reports":[…]}`, and a comma per entry.
  let bytes = 40 + encoder.encode(JSON.stringify(own)).length
  for (const report of others.sort((a, b) => a.depth - b.depth)) {
    bytes += 1 + encoder.encode(JSON.stringify(report)).length
    if (bytes > maxBytes || kept.length >= MAX_MONITORED_VOLUNTEERS) break
    kept.push(report)
  }
  return kept
}

/**
 * The latest reports each child passed up (its subtree's, its own included), filed under the child's link so
 * that a child that leaves takes its entries along. Combined with the tab's own report, they are what the tab
 * sends to its parent each interval.
 */
export class SubtreeReports<Link = unknown> {
  readonly #byChild = new Map<Link, readonly VolunteerReport[]>()

  /**
   * A child's latest status: it replaces what that child sent before. Returns whether it names a volunteer
   * that no child had named yet (one that just joined the subtree: its parent tells the root at once).
   */
  update(child: Link, reports: readonly VolunteerReport[]): boolean {
    const known = new Set([...this.#byChild.values()].flatMap((list) => list.map((report) => report.id)))
    this.#byChild.set(child, reports)
    return reports.some((report) => !known.has(report.id))
  }

  /** The volunteers a child's latest status named: the tabs of its subtree, as it says. */
  idsOf(child: Link): string[] {
    return (this.#byChild.get(child) ?? []).map((report) => report.id)
  }

  /** A child left: its subtree's entries go with it. */
  remove(child: Link): void {
    this.#byChild.delete(child)
  }

  /**
   * One report per volunteer, `own` first: of each other volunteer the latest its children passed up (see
   * `combineReports`), unless made `maxAgeMs` or more before `now`; bounded as {@link boundReports} says. A
   * child's entry with this tab's id is ignored: only the tab speaks for itself.
   */
  combined(own: VolunteerReport, now: number, maxAgeMs: number, maxBytes?: number): VolunteerReport[] {
    const below = combineReports(...this.#byChild.values()).filter((report) => report.id !== own.id)
    return boundReports([own, ...withoutStaleReports(below, now, maxAgeMs)], maxBytes)
  }
}
