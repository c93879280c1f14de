import { InvariantError, type RunProgress } from '@pando/protocol'
import { BUSY_VIEW_INTERVAL, SAVED_NOTE_MS } from './constants.ts'
import type { VolunteerStatus } from './page-state.ts'
import { showText } from './show-text.ts'

/** How the page reaches the root, as shown. */
export type TransportName = 'WebRTC' | 'WebSocket'

/** Each status as the page words it: a short label, a sentence for the volunteer, and maybe a note after it. */
export const STATUS_TEXT: Record<
  VolunteerStatus,
  { readonly label: string; readonly detail: string; readonly note?: string }
> = {
  'waiting-for-run': {
    label: 'Waiting for a run',
    detail: 'No computation is running here yet. This tab joins by itself when one starts.',
  },
  joining: { label: 'Joining', detail: 'Joining the computation…' },
  working: { label: 'Working', detail: 'This tab is computing items.' },
  'waiting-for-work': {
    label: 'Waiting for work',
    detail: 'No item for this tab right now; it gets more as soon as there are some.',
  },
  paused: { label: 'Paused', detail: 'This tab computes nothing until you resume it.' },
  reconnecting: {
    label: 'Reconnecting',
    detail: 'The link to the computation was lost; this tab rejoins by itself.',
  },
  'root-unreachable': {
    label: 'Cannot reach the computation',
    detail:
      'The computer that runs this computation cannot be reached right now. This tab keeps trying, and rejoins by itself when it is back.',
  },
  finished: {
    label: 'Finished',
    detail: 'The run is finished — thank you. You may close this tab.',
    note: 'If another run starts here, this tab joins it.',
  },
  excluded: {
    label: 'Excluded',
    detail: 'This run takes no more work from this tab. You may close it.',
  },
}

function element<T extends HTMLElement>(doc: Document, id: string, type: new () => T): T {
  const found = doc.getElementById(id)
  if (!(found instanceof type)) throw new InvariantError(`the page has no #${id}`)
  return found
}

/**
 * Formats counts as people read them. One formatter for the page: `toLocaleString` makes a new one at each
 * call, and the first costs the page's main thread a quarter of a second of locale data (a profile of a run
 * showed it as the largest piece of the page's work), taken here while the page loads, not while it computes.
 */
const COUNT_FORMAT = new Intl.NumberFormat('en-US')

/** A count as people read it: `12,345`. */
const count = (value: number): string => COUNT_FORMAT.format(value)

/** `1 item`, `2 items`, `12,345 items`. */
const items = (value: number): string => `${count(value)} ${value === 1 ? 'item' : 'items'}`

/**
 * The page's DOM, behind a few setters. Tests rely on the element ids: `#status` (its text is the status's
 * label, its `data-status` the {@link VolunteerStatus}) and `#status-detail` (the sentence under it; `#status-note` a note after it, when there is one),
 * `#module-name` and `#run-host` (what runs, for whom), `#run-progress` (the run's items done, and of how
 * many once known) and its bar `#run-progress-bar`, `#device-name` (an input, saved on change, then
 * `#device-name-saved` shows), `#processed` (a plain number, `#processed-unit` after it), `#failed` and `#timed-out` (outcomes of this tab's own Worker),
 * `#throughput`, `#message` (a real error, else hidden), and in the "Details" disclosure the tab's place in
 * the tree: `#volunteer-id`, `#transport` (`WebRTC` or `WebSocket`; `#transport-note` says why after a
 * fallback), `#depth`, `#children`, `#parent-id`
 * (`–` when unknown).
 */
export class StatusView {
  readonly #doc: Document
  readonly #status: HTMLElement
  readonly #statusDetail: HTMLElement
  readonly #statusNote: HTMLElement
  readonly #moduleName: HTMLElement
  readonly #runHost: HTMLElement
  readonly #runProgress: HTMLElement
  readonly #runProgressBar: HTMLProgressElement
  readonly #deviceName: HTMLInputElement
  readonly #deviceNameSaved: HTMLElement
  readonly #volunteerId: HTMLElement
  readonly #processed: HTMLElement
  readonly #processedUnit: HTMLElement
  readonly #failed: HTMLElement
  readonly #timedOut: HTMLElement
  readonly #throughput: HTMLElement
  readonly #message: HTMLElement
  readonly #transport: HTMLElement
  readonly #transportNote: HTMLElement
  readonly #depth: HTMLElement
  readonly #children: HTMLElement
  readonly #parentId: HTMLElement
  /** The status and counts to show; shown at once, or at most every `BUSY_VIEW_INTERVAL` while they change. */
  #statusNow: VolunteerStatus | undefined
  #countsNow: readonly [number, number, number] | undefined
  /** Figures shown with the counts, not shown yet: the latest of each. */
  readonly #figuresNow = new Map<'throughput' | 'runProgress', () => void>()
  #shown: { status: VolunteerStatus | undefined; counts: string } = { status: undefined, counts: '' }
  #lastShown = Number.NEGATIVE_INFINITY
  #showLater: ReturnType<typeof setTimeout> | undefined
  #savedTimer: ReturnType<typeof setTimeout> | undefined

  constructor(doc: Document) {
    this.#doc = doc
    this.#status = element(doc, 'status', HTMLElement)
    this.#statusDetail = element(doc, 'status-detail', HTMLElement)
    this.#statusNote = element(doc, 'status-note', HTMLElement)
    this.#moduleName = element(doc, 'module-name', HTMLElement)
    this.#runHost = element(doc, 'run-host', HTMLElement)
    this.#runProgress = element(doc, 'run-progress', HTMLElement)
    this.#runProgressBar = element(doc, 'run-progress-bar', HTMLProgressElement)
    this.#deviceName = element(doc, 'device-name', HTMLInputElement)
    this.#deviceNameSaved = element(doc, 'device-name-saved', HTMLElement)
    this.#volunteerId = element(doc, 'volunteer-id', HTMLElement)
    this.#processed = element(doc, 'processed', HTMLElement)
    this.#processedUnit = element(doc, 'processed-unit', HTMLElement)
    this.#failed = element(doc, 'failed', HTMLElement)
    this.#timedOut = element(doc, 'timed-out', HTMLElement)
    this.#throughput = element(doc, 'throughput', HTMLElement)
    this.#message = element(doc, 'message', HTMLElement)
    this.#transport = element(doc, 'transport', HTMLElement)
    this.#transportNote = element(doc, 'transport-note', HTMLElement)
    this.#depth = element(doc, 'depth', HTMLElement)
    this.#children = element(doc, 'children', HTMLElement)
    this.#parentId = element(doc, 'parent-id', HTMLElement)
  }

  /**
   * The status goes from working to waiting for work and back at every batch, dozens of times a second with
   * quick items, and each change shown costs the page a frame (style, layout, paint) taken from its Worker's
   * core. So `waiting-for-work` is shown like the counts: at once after a quiet spell, then at most every
   * `BUSY_VIEW_INTERVAL` (the latest state last), by when the next batch has usually made the tab `working`
   * again. Any other status is shown at once: the first item of a tab shows when it comes.
   */
  setStatus(status: VolunteerStatus): void {
    this.#statusNow = status
    if (status === 'waiting-for-work') {
      this.#showBusy()
    } else if (status !== this.#shown.status) {
      this.#showStatus(status)
      this.#shown = { ...this.#shown, status }
    }
  }

  #showStatus(status: VolunteerStatus): void {
    const text = STATUS_TEXT[status]
    this.#status.textContent = text.label
    this.#status.dataset.status = status
    this.#statusDetail.textContent = text.detail
    this.#statusNote.textContent = text.note ?? ''
    this.#statusNote.hidden = text.note === undefined
    this.#doc.body.dataset.status = status
  }

  /** What runs: the module's name; and for whom: the host the page came from. */
  setRun(moduleName: string | undefined, host: string): void {
    this.#moduleName.textContent = moduleName ?? 'a computation'
    this.#runHost.textContent = host
  }

  /** How far the run is, as the root last said; `undefined` until it has. Shown with the counts (`#showBusy`). */
  setRunProgress(progress: RunProgress | undefined): void {
    this.#showWithCounts('runProgress', () => this.#showRunProgress(progress))
  }

  #showRunProgress(progress: RunProgress | undefined): void {
    const bar = this.#runProgressBar
    if (progress === undefined) {
      this.#runProgress.textContent = 'No figures yet'
      bar.hidden = true
      return
    }
    const { done, total } = progress
    if (total === null) {
      showText(this.#runProgress, `${items(done)} done`)
      bar.hidden = true
    } else {
      showText(this.#runProgress, `${count(done)} of ${items(total)} done`)
      if (bar.max !== Math.max(total, 1)) bar.max = Math.max(total, 1)
      if (bar.value !== Math.min(done, total)) bar.value = Math.min(done, total)
      bar.hidden = false
    }
  }

  setDeviceName(name: string): void {
    this.#deviceName.value = name
  }

  /** Calls `listener` with the new name when the volunteer edits it (on change, i.e. enter or blur). */
  onDeviceNameChange(listener: (name: string) => void): void {
    this.#deviceName.addEventListener('change', () => listener(this.#deviceName.value))
  }

  /** Says for a moment that the name was saved. */
  showDeviceNameSaved(): void {
    this.#deviceNameSaved.hidden = false
    clearTimeout(this.#savedTimer)
    this.#savedTimer = setTimeout(() => (this.#deviceNameSaved.hidden = true), SAVED_NOTE_MS)
  }

  setVolunteerId(id: string | undefined): void {
    this.#volunteerId.textContent = id ?? '–'
  }

  setTransport(transport: TransportName): void {
    this.#transport.textContent = transport
  }

  /** Why the page uses its transport, when it is not the first choice (the WebRTC join failed…). */
  setTransportNote(text: string): void {
    this.#transportNote.textContent = text
    this.#transportNote.hidden = false
  }

  /** The tab's place in the tree: its depth (the root's children are at 1) and its parent's id. */
  setPosition(depth: number | undefined, parentId: string | undefined): void {
    showText(this.#depth, depth === undefined ? '–' : String(depth))
    showText(this.#parentId, parentId ?? '–')
  }

  setChildren(children: number): void {
    showText(this.#children, String(children))
  }

  /** Outcomes of this tab's Worker: all, failures, and failures for missing the item deadline; see `setStatus`. */
  setCounts(processed: number, failed: number, timedOut: number): void {
    this.#countsNow = [processed, failed, timedOut]
    this.#showBusy()
  }

  #showBusy(): void {
    if (this.#showLater !== undefined) return
    const wait = this.#lastShown + BUSY_VIEW_INTERVAL - performance.now()
    if (wait > 0) {
      this.#showLater = setTimeout(() => {
        this.#showLater = undefined
        this.#showBusy()
      }, wait)
      return
    }
    this.#lastShown = performance.now()
    const status = this.#statusNow
    if (status !== undefined && status !== this.#shown.status) this.#showStatus(status)
    const counts = this.#countsNow
    const key = counts?.join(' ') ?? ''
    if (counts !== undefined && key !== this.#shown.counts) {
      showText(this.#processed, String(counts[0]))
      showText(this.#processedUnit, counts[0] === 1 ? 'item computed' : 'items computed')
      showText(this.#failed, String(counts[1]))
      showText(this.#timedOut, String(counts[2]))
    }
    this.#shown = { status, counts: key }
    for (const show of this.#figuresNow.values()) show()
    this.#figuresNow.clear()
  }

  /** The tab's items per second; shown with the counts (`#showBusy`). */
  setThroughput(itemsPerSecond: number): void {
    const digits = itemsPerSecond < 10 ? 2 : itemsPerSecond < 100 ? 1 : 0
    this.#showWithCounts('throughput', () =>
      showText(this.#throughput, `${itemsPerSecond.toFixed(digits)} items/s`),
    )
  }

  /**
   * Shows a figure that changes while the tab works (the throughput every second, the run's progress as the
   * root sends it) with the counts: at most every `BUSY_VIEW_INTERVAL`, in the same frame, the latest of each.
   * Each shown on its own clock cost the page a frame more, three or four a second in all.
   */
  #showWithCounts(figure: 'throughput' | 'runProgress', show: () => void): void {
    this.#figuresNow.set(figure, show)
    this.#showBusy()
  }

  /** Shows a real problem for people (a load error, the root's reason for refusing the page); `undefined` hides it. */
  showMessage(text: string | undefined): void {
    this.#message.textContent = text ?? ''
    this.#message.hidden = text === undefined
  }
}
