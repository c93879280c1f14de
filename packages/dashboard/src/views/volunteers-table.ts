import type { VolunteerReport, VolunteerStanding } from '@pando/protocol'
import { formatAge, formatCount, formatPercent, formatRate } from '../format.ts'
import { isDoubted, standingCellText } from '../standing-text.ts'
import type { ColorRegistry } from '../palette.ts'
import { element, make } from './dom.ts'
import { TABLE_ID_CHARS } from '../constants.ts'

/** What a row needs besides its report. */
export interface RowContext {
  /** Ms since the volunteer made the report. */
  readonly ageOf: (report: VolunteerReport) => number
  /**
   * The volunteer's standing when the run replicates or spot-checks (else the column is hidden).
   * @default none
   */
  readonly standingOf?: (id: string) => VolunteerStanding | undefined
}

/** What the busy time is: the Worker's time on items, which waiting (timers, fetches) counts in, not CPU. */
export const BUSY_TITLE =
  'Share of the time the Worker was busy with items (waiting inside an item counts), or the CPU time the module reports'

interface Column {
  readonly key: string
  readonly label: string
  /** The header's tooltip, when the label needs one. */
  readonly title?: string
  readonly numeric: boolean
  readonly sortValue: (report: VolunteerReport, context: RowContext) => number | string
  readonly render: (report: VolunteerReport, context: RowContext, cell: HTMLTableCellElement) => void
}

export type SortDirection = 'ascending' | 'descending'

/** What the table says while no volunteer is connected. */
const NO_VOLUNTEER = 'No volunteer yet: open the volunteer page in a browser to lend it.'

function meter(cell: HTMLTableCellElement, percent: number, kind: string): void {
  const bar = make('span', `meter ${kind}`)
  const fill = make('span')
  fill.style.width = `${Math.max(0, Math.min(100, percent))}%`
  bar.append(fill)
  cell.append(bar, make('span', 'value', formatPercent(percent)))
}

const text =
  (format: (report: VolunteerReport, context: RowContext) => string) =>
  (report: VolunteerReport, context: RowContext, cell: HTMLTableCellElement): void => {
    cell.textContent = format(report, context)
  }

/** The table's columns, in their order: who each volunteer is, what it does, and signs of trouble. */
function columns(colors: ColorRegistry): Column[] {
  return [...identityColumns(colors), ...workColumns(), ...troubleColumns()]
}

/** Who the volunteer is, how far it is trusted, and where it sits: device, id, standing, transport, depth. */
function identityColumns(colors: ColorRegistry): Column[] {
  return [
    {
      key: 'device',
      label: 'Device',
      numeric: false,
      sortValue: (r) => (r.deviceName || r.id).toLowerCase(),
      render: (r, _c, cell) => {
        const swatch = make('span', 'swatch')
        swatch.style.background = colors.colorOf(r.id)
        cell.append(swatch, make('span', r.deviceName ? 'name' : 'name unnamed', r.deviceName || 'unnamed'))
      },
    },
    {
      key: 'id',
      label: 'Id',
      numeric: false,
      sortValue: (r) => r.id,
      // Its start tells the volunteers apart; the whole id is in the tooltip.
      render: (r, _c, cell) => {
        cell.textContent = r.id.length > TABLE_ID_CHARS ? `${r.id.slice(0, TABLE_ID_CHARS)}…` : r.id
        cell.title = r.id
      },
    },
    {
      key: 'standing',
      label: 'Standing',
      title:
        'Its results, when the run replicates or spot-checks: agreed, outvoted, failed; trusted (computes alone) or excluded',
      numeric: false,
      // Right after the id, in sight on a phone. Doubted first when sorted the other way.
      sortValue: (r, c) => {
        const standing = c.standingOf?.(r.id)
        return standing === undefined ? -1 : standing.agreed - 1_000 * standing.outvoted
      },
      render: (r, c, cell) => {
        const standing = c.standingOf?.(r.id)
        cell.textContent = standingCellText(standing)
        cell.classList.toggle('bad', isDoubted(standing))
      },
    },
    {
      key: 'transport',
      label: 'Transport',
      numeric: false,
      sortValue: (r) => r.transport,
      render: (r, _c, cell) => cell.append(make('span', `pill ${r.transport}`, r.transport)),
    },
    {
      key: 'depth',
      label: 'Depth',
      numeric: true,
      sortValue: (r) => r.depth,
      render: text((r) => String(r.depth)),
    },
  ]
}

/** What the volunteer does: its Workers (and their setting), items processed, speed, load, items held. */
function workColumns(): Column[] {
  return [
    {
      key: 'workers',
      label: 'Workers',
      numeric: true,
      sortValue: (r) => r.workers ?? 1,
      render: (r, _c, cell) => {
        // Its CPU-use setting and its pause, beside the Workers they apply to.
        const cpuLimit = r.cpuLimit ?? 100
        const limited = cpuLimit < 100 ? ` at ${formatPercent(cpuLimit)}` : ''
        const paused = r.paused ?? false
        cell.textContent = `${String(r.workers ?? 1)}${limited}${paused ? ', paused' : ''}`
        cell.classList.toggle('paused', paused)
      },
    },
    {
      key: 'processed',
      label: 'Processed',
      numeric: true,
      sortValue: (r) => r.processed,
      render: text((r) => formatCount(r.processed)),
    },
    {
      key: 'throughput',
      label: 'Throughput',
      numeric: true,
      sortValue: (r) => r.throughput,
      render: (r, _c, cell) => {
        cell.append(formatRate(r.throughput), make('span', 'unit', ` ${r.units}/s`))
        const stats = r.throughputStats
        cell.title = `average ${formatRate(stats.average)}, standard deviation ${formatRate(stats.standardDeviation)}, min ${formatRate(stats.minimum)}, max ${formatRate(stats.maximum)}`
      },
    },
    {
      key: 'cpu',
      label: 'Busy',
      title: BUSY_TITLE,
      numeric: true,
      sortValue: (r) => r.cpuUsage,
      render: (r, _c, cell) => meter(cell, r.cpuUsage, 'cpu'),
    },
    {
      key: 'transfer',
      label: 'Data transfer',
      numeric: true,
      sortValue: (r) => r.dataTransferLoad,
      render: (r, _c, cell) => meter(cell, r.dataTransferLoad, 'transfer'),
    },
    {
      key: 'in-flight',
      label: 'In flight',
      numeric: true,
      sortValue: (r) => r.inFlight,
      render: text((r) => formatCount(r.inFlight)),
    },
  ]
}

/** Signs of trouble: the items it failed, and a report that is late. */
function troubleColumns(): Column[] {
  return [
    {
      key: 'failures',
      label: 'Failures',
      numeric: true,
      sortValue: (r) => r.failures,
      render: (r, _c, cell) => {
        cell.textContent = formatCount(r.failures)
        cell.classList.toggle('bad', r.failures > 0)
      },
    },
    {
      key: 'age',
      label: 'Last report',
      numeric: true,
      sortValue: (r, c) => c.ageOf(r),
      render: (r, c, cell) => {
        const age = c.ageOf(r)
        cell.textContent = formatAge(age)
        cell.classList.toggle('stale', age > 3 * Math.max(1_000, r.lastReportInterval))
      },
    },
  ]
}

function compare(a: number | string, b: number | string): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b
  return String(a).localeCompare(String(b))
}

/**
 * The sortable table of volunteers, `#volunteers-table`: one `tbody` row per volunteer with `data-id`,
 * cells with `data-column` (`device`, `id`, `standing` (shown only when the run judges results: the table
 * has the class `judged`), `transport`, `depth`, `workers` (with the CPU use below 100 % and `, paused`),
 * `processed`, `throughput`, `cpu`, `transfer`, `in-flight`, `failures`, `age`). A header click sorts by that column (again: the other way);
 * the sorted header has `aria-sort`. `#table-hint` says that the table scrolls sideways, when it does.
 */
export class VolunteersTable {
  readonly #table: HTMLTableElement
  readonly #body: HTMLTableSectionElement
  readonly #empty: HTMLElement
  readonly #wrap: HTMLElement | null
  readonly #hint: HTMLElement
  readonly #columns: Column[]
  readonly #headers = new Map<string, HTMLTableCellElement>()
  #sortKey = 'device'
  #direction: SortDirection = 'ascending'
  #reports: readonly VolunteerReport[] = []
  #context: RowContext = { ageOf: () => 0 }

  constructor(doc: Document, colors: ColorRegistry) {
    this.#table = element(doc, 'volunteers-table', HTMLTableElement)
    this.#empty = element(doc, 'volunteers-empty', HTMLElement)
    this.#hint = element(doc, 'table-hint', HTMLElement)
    this.#wrap = this.#table.parentElement
    if (this.#wrap !== null) new ResizeObserver(() => this.#showHint()).observe(this.#wrap)
    this.#columns = columns(colors)
    const head = this.#table.createTHead()
    const row = head.insertRow()
    for (const column of this.#columns) {
      const th = make('th')
      th.scope = 'col'
      th.dataset.column = column.key
      if (column.numeric) th.classList.add('numeric')
      if (column.title !== undefined) th.title = column.title
      const button = make('button', 'sort', column.label)
      button.type = 'button'
      button.dataset.sort = column.key
      button.addEventListener('click', () => this.sortBy(column.key))
      th.append(button)
      row.append(th)
      this.#headers.set(column.key, th)
    }
    this.#body = this.#table.tBodies[0] ?? this.#table.createTBody()
    this.#markSorted()
  }

  /** Sorts by column `key`; by the same column again, the other way. */
  sortBy(key: string, direction?: SortDirection): void {
    if (direction !== undefined) this.#direction = direction
    else if (key === this.#sortKey)
      this.#direction = this.#direction === 'ascending' ? 'descending' : 'ascending'
    else this.#direction = this.#columns.find((c) => c.key === key)?.numeric ? 'descending' : 'ascending'
    this.#sortKey = key
    this.#markSorted()
    this.#render()
  }

  /**
   * Shows `reports`; `connected` is how many volunteers the root counts now, whose first reports may not
   * have come yet.
   */
  update(reports: readonly VolunteerReport[], context: RowContext, connected = reports.length): void {
    this.#reports = reports
    this.#context = context
    this.#table.classList.toggle('judged', context.standingOf !== undefined)
    this.#empty.textContent =
      connected > 0
        ? `${connected} volunteer${connected === 1 ? '' : 's'} connected: the first reports come within the reporting interval.`
        : NO_VOLUNTEER
    this.#render()
  }

  /** Refreshes what changes with time alone (the ages), between two statuses. */
  tick(context: RowContext): void {
    this.#context = context
    if (this.#sortKey === 'age') {
      this.#render()
      return
    }
    const age = this.#columns.find((c) => c.key === 'age')
    const byId = new Map(this.#reports.map((report) => [report.id, report]))
    for (const row of this.#body.rows) {
      const report = byId.get(row.dataset.id ?? '')
      const cell = row.querySelector<HTMLTableCellElement>('td[data-column="age"]')
      if (report === undefined || cell === null || age === undefined) continue
      cell.replaceChildren()
      age.render(report, context, cell)
    }
  }

  #markSorted(): void {
    for (const [key, th] of this.#headers) {
      if (key === this.#sortKey) th.setAttribute('aria-sort', this.#direction)
      else th.removeAttribute('aria-sort')
    }
  }

  #render(): void {
    const column = this.#columns.find((c) => c.key === this.#sortKey) ?? this.#columns[0]
    const sign = this.#direction === 'ascending' ? 1 : -1
    const sorted = [...this.#reports].sort((a, b) => {
      if (column === undefined) return 0
      const order = compare(column.sortValue(a, this.#context), column.sortValue(b, this.#context))
      return order === 0 ? a.id.localeCompare(b.id) : sign * order
    })
    const rows = sorted.map((report) => {
      const row = make('tr')
      row.dataset.id = report.id
      for (const col of this.#columns) {
        const cell = make('td')
        cell.dataset.column = col.key
        if (col.numeric) cell.classList.add('numeric')
        col.render(report, this.#context, cell)
        row.append(cell)
      }
      return row
    })
    this.#body.replaceChildren(...rows)
    this.#empty.hidden = rows.length > 0
    this.#showHint()
  }

  /** The hint that more columns are beyond the edge, shown only when they are (a narrow screen). */
  #showHint(): void {
    const wrap = this.#wrap
    this.#hint.hidden =
      wrap === null || this.#body.rows.length === 0 || wrap.scrollWidth <= wrap.clientWidth + 1
  }
}
