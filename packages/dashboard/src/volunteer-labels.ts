import { volunteerLabel, type MonitorStatus, type VolunteerReport } from '@pando/protocol'

/**
 * What the dashboard calls each volunteer, by id, the same in the legend, the tree, the bars and the table
 * (and on the terminal: see `volunteerLabel`): the name it chose, or its browser and OS and the start of its
 * id (`Chrome · Linux · 3fa2`); a chosen name that several share gets the start of the id too
 * (`Alice · 3fa2`), so that no two look alike.
 */
export function volunteerLabels(reports: readonly VolunteerReport[]): Map<string, string> {
  const byName = new Map<string, number>()
  for (const report of reports) {
    const name = report.deviceName.trim()
    byName.set(name, (byName.get(name) ?? 0) + 1)
  }
  return new Map(
    reports.map((report) => {
      const shared = (byName.get(report.deviceName.trim()) ?? 0) > 1
      return [report.id, volunteerLabel(report.deviceName, report.id, shared)]
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
