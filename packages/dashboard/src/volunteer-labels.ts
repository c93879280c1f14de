import type { MonitorStatus, VolunteerReport } from '@pando/protocol'

/** Characters of a volunteer's id shown after a name that other volunteers share. */
const SHORT_ID_LENGTH = 4

/**
 * What the dashboard calls each volunteer, by id, the same in the legend, the tree, the bars and the table:
 * the name it chose, or its browser's default (its platform, such as "Linux x86_64"); when several share
 * that name, each gets the start of its id after it (`Linux x86_64 #3f2a`), so that no two look alike.
 */
export function volunteerLabels(reports: readonly VolunteerReport[]): Map<string, string> {
  const byName = new Map<string, number>()
  for (const report of reports) byName.set(report.deviceName, (byName.get(report.deviceName) ?? 0) + 1)
  return new Map(
    reports.map((report) => {
      const name = report.deviceName.trim()
      const shared = (byName.get(report.deviceName) ?? 0) > 1
      const short = `#${report.id.slice(0, SHORT_ID_LENGTH)}`
      return [report.id, name === '' ? `volunteer ${short}` : shared ? `${name} ${short}` : name]
    }),
  )
}

/** `status` with each volunteer's `deviceName` replaced by its label (see {@link volunteerLabels}). */
export function labelled(status: MonitorStatus): MonitorStatus {
  const labels = volunteerLabels(status.volunteers)
  return {
    ...status,
    volunteers: status.volunteers.map((report) => ({
      ...report,
      deviceName: labels.get(report.id) ?? report.deviceName,
    })),
  }
}
