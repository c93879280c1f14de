import type { MonitorStatus } from '@pando/protocol'
import { estimateRemaining, formatCount, formatDuration, formatRate } from '../format.ts'
import { element } from './dom.ts'

/** Where the connection to the feed is, as shown in `#connection-status`. */
export type ConnectionDisplay = 'connecting' | 'live' | 'reconnecting' | 'finished'

const CONNECTION_TEXT: Record<ConnectionDisplay, string> = {
  connecting: 'connecting…',
  live: 'live',
  reconnecting: 'reconnecting…',
  // The root sent its last status and exited: nothing is wrong, the page shows the run as it ended.
  finished: 'run finished',
}

/**
 * The header and the totals. Ids: `#totals-read`, `#totals-done`, `#totals-in-flight`, `#totals-relent`,
 * `#totals-failed`, `#totals-rate`, `#totals-average-rate`, `#totals-volunteers`, `#totals-elapsed`,
 * `#totals-eta`, `#totals-items` (in the header: the number of items, or "a stream of items"), `#run-progress` (hidden for a stream;
 * `data-percent`), `#connection-status` (`data-state`) and `#last-update`.
 */
export class TotalsView {
  readonly #fields: Record<string, HTMLElement>
  readonly #progress: HTMLElement
  readonly #progressFill: HTMLElement
  readonly #progressLabel: HTMLElement
  readonly #connection: HTMLElement
  readonly #lastUpdate: HTMLElement

  constructor(doc: Document) {
    const ids = ['read', 'done', 'in-flight', 'relent', 'failed', 'rate', 'average-rate', 'volunteers']
    this.#fields = Object.fromEntries(
      [...ids, 'elapsed', 'eta', 'items'].map((id) => [id, element(doc, `totals-${id}`, HTMLElement)]),
    )
    this.#progress = element(doc, 'run-progress', HTMLElement)
    this.#progressFill = element(doc, 'run-progress-fill', HTMLElement)
    this.#progressLabel = element(doc, 'run-progress-label', HTMLElement)
    this.#connection = element(doc, 'connection-status', HTMLElement)
    this.#lastUpdate = element(doc, 'last-update', HTMLElement)
  }

  #set(id: string, text: string): void {
    const field = this.#fields[id]
    if (field !== undefined && field.textContent !== text) field.textContent = text
  }

  /** Shows a status; `sinceMs` is how long ago it arrived (elapsed time and ETA move on in between). */
  show(status: MonitorStatus, sinceMs: number): void {
    const { totals, run } = status
    this.#set('read', formatCount(totals.read))
    this.#set('done', formatCount(totals.done))
    this.#set('in-flight', formatCount(totals.inFlight))
    this.#set('relent', formatCount(totals.relent))
    this.#set('failed', formatCount(totals.failed))
    // Once the run is over nothing is computed: no rate now (the last status's would stay forever).
    this.#set('rate', run.ended === true ? '–' : formatRate(totals.rate))
    this.#set('average-rate', formatRate(totals.averageRate))
    this.#set('volunteers', formatCount(totals.volunteers))
    this.#set('items', run.itemsTotal === null ? 'a stream of items' : `${formatCount(run.itemsTotal)} items`)
    const finished = run.itemsTotal !== null && totals.done >= run.itemsTotal
    this.#set('elapsed', formatDuration(run.elapsedMs + (finished ? 0 : sinceMs)))
    const remaining = estimateRemaining(totals.done, run.itemsTotal, totals.rate, totals.averageRate)
    this.#set(
      'eta',
      remaining === undefined
        ? '–'
        : remaining === 0
          ? 'done'
          : // Rounded up: items remain, so the ETA is never 0:00.
            formatDuration(Math.max(1, Math.ceil((remaining - sinceMs) / 1000)) * 1000),
    )
    this.#fields.failed?.classList.toggle('bad', totals.failed > 0)
    this.#progress.hidden = run.itemsTotal === null
    if (run.itemsTotal !== null) {
      const percent = run.itemsTotal === 0 ? 100 : Math.min(100, (totals.done / run.itemsTotal) * 100)
      this.#progress.dataset.percent = percent.toFixed(1)
      this.#progressFill.style.width = `${percent}%`
      this.#progressLabel.textContent = `${percent.toFixed(percent < 10 ? 1 : 0)}% of ${formatCount(run.itemsTotal)}`
    }
    this.#lastUpdate.textContent =
      sinceMs < 1_500 ? 'updated just now' : `updated ${Math.round(sinceMs / 1000)} s ago`
  }

  showConnection(state: ConnectionDisplay): void {
    this.#connection.dataset.state = state
    this.#connection.textContent = CONNECTION_TEXT[state]
  }
}
