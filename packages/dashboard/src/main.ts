// The dashboard: follows the root's monitor feed and shows the run live. It comes back by itself when the
// connection drops (the root restarted, or the network went away), and keeps showing the last status.
import type { MonitorStatus, VolunteerReport } from '@pando/protocol'
import uplotCss from 'uplot/dist/uPlot.min.css'
import { CLOCK_INTERVAL, FEED_PATH, HISTORY_LENGTH, MAX_BAR_ROWS, MAX_STACKED_SERIES } from './constants.ts'
import { formatCount, formatRate } from './format.ts'
import { ThroughputHistory } from './history.ts'
import { MonitorClient, feedUrl } from './monitor-client.ts'
import { ColorRegistry } from './palette.ts'
import { labelled } from './volunteer-labels.ts'
import { HistoryChart, LoadBars, ThroughputBars } from './views/charts.ts'
import { element } from './views/dom.ts'
import { ExcludedView } from './views/excluded-view.ts'
import { TotalsView } from './views/totals-view.ts'
import { TreeView } from './views/tree-view.ts'
import { VolunteersTable, type RowContext } from './views/volunteers-table.ts'

const style = document.createElement('style')
style.textContent = uplotCss
document.head.prepend(style)

const colors = new ColorRegistry()
const totals = new TotalsView(document)
const table = new VolunteersTable(document, colors)
const history = new ThroughputHistory(HISTORY_LENGTH, MAX_STACKED_SERIES)
const historyChart = new HistoryChart(element(document, 'chart-history', HTMLElement), colors)
const throughputBars = new ThroughputBars(element(document, 'chart-throughput', HTMLElement), colors)
const loadBars = new LoadBars(element(document, 'chart-load', HTMLElement))
const tree = new TreeView(element(document, 'tree', HTMLElement), colors)
const excluded = new ExcludedView(document)
/** Each volunteer's label as it last reported: an excluded one is named after it left. */
const labels = new Map<string, string>()

let last: { status: MonitorStatus; receivedAt: number } | undefined
/** While disconnected, time stands still at the moment the connection dropped. */
let frozenAt: number | undefined = performance.now()

const byName = (a: VolunteerReport, b: VolunteerReport): number =>
  (a.deviceName || a.id).localeCompare(b.deviceName || b.id) || a.id.localeCompare(b.id)

function sinceLast(): number {
  return last === undefined ? 0 : (frozenAt ?? performance.now()) - last.receivedAt
}

function rowContext(status: MonitorStatus, since: number): RowContext {
  const ageOf = (report: VolunteerReport): number => Math.max(0, status.timestamp - report.timestamp) + since
  if (status.standings === undefined) return { ageOf }
  const standings = new Map(status.standings.map((standing) => [standing.id, standing]))
  return { ageOf, standingOf: (id) => standings.get(id) }
}

function show(received: MonitorStatus): void {
  // Every view names the volunteers alike, so that none can be taken for another.
  const status = labelled(received)
  last = { status, receivedAt: frozenAt ?? performance.now() }
  for (const placeholder of document.querySelectorAll('.placeholder')) placeholder.remove()
  // Colours follow the order in which volunteers first appear, as in the stacked chart.
  for (const report of status.volunteers) colors.colorOf(report.id)
  history.add(status)
  historyChart.update(history.data())
  // Many volunteers: the bar charts keep the busiest ones, by name like the rest.
  const shown = [...status.volunteers]
    .sort((a, b) => b.throughput - a.throughput)
    .slice(0, MAX_BAR_ROWS)
    .sort(byName)
  const note = shown.length < status.volunteers.length ? ` · the ${shown.length} busiest` : ''
  for (const element of document.querySelectorAll('.bars-note')) element.textContent = note
  throughputBars.update(shown)
  loadBars.update(shown)
  tree.update(status.tree, status.volunteers)
  table.update(status.volunteers, rowContext(status, 0), status.totals.volunteers)
  for (const report of status.volunteers) labels.set(report.id, report.deviceName)
  excluded.update(status.standings ?? [], (id) => labels.get(id) ?? id)
  totals.show(status, 0)
  document.title = `${formatCount(status.totals.done)} done · ${formatRate(status.totals.rate)}/s · Pando monitor`
}

function tick(): void {
  if (last === undefined) return
  const since = sinceLast()
  totals.show(last.status, since)
  table.tick(rowContext(last.status, since))
}

const client = new MonitorClient(feedUrl(location.href, FEED_PATH), {
  onMessage: show,
  onState: (state) => {
    if (state.state === 'live') frozenAt = undefined
    else frozenAt ??= performance.now()
    totals.showConnection(
      state.state !== 'live' && last?.status.run.ended === true ? 'finished' : state.state,
    )
  },
})

setInterval(tick, CLOCK_INTERVAL)
client.start()
