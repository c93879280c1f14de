import { BUSY_VIEW_INTERVAL } from './constants.ts'

/** How the page reaches the root, as shown. */
export type TransportName = 'WebRTC' | 'WebSocket'

/** What the page shows as its status. */
export type VolunteerStatus = 'connecting' | 'idle' | 'working' | 'reconnecting'

const STATUS_TEXT: Record<VolunteerStatus, string> = {
  connecting: 'connecting',
  idle: 'idle',
  working: 'working',
  reconnecting: 'reconnecting',
}

function element<T extends HTMLElement>(doc: Document, id: string, type: new () => T): T {
  const found = doc.getElementById(id)
  if (!(found instanceof type)) throw new Error(`the page has no #${id}`)
  return found
}

/**
 * The page's DOM, behind a few setters. Tests rely on the element ids: `#status` (its text and `data-status`
 * are the status), `#device-name` (an input), `#volunteer-id`, `#processed`, `#failed` and `#timed-out`
 * (outcomes of this tab's own Worker), `#throughput`, `#message`, and the tab's place in the tree:
 * `#transport` (`WebRTC` or `WebSocket`), `#depth`, `#children`, `#parent-id` (`–` when unknown).
 */
export class StatusView {
  readonly #status: HTMLElement
  readonly #deviceName: HTMLInputElement
  readonly #volunteerId: HTMLElement
  readonly #processed: HTMLElement
  readonly #failed: HTMLElement
  readonly #timedOut: HTMLElement
  readonly #throughput: HTMLElement
  readonly #message: HTMLElement
  readonly #transport: HTMLElement
  readonly #depth: HTMLElement
  readonly #children: HTMLElement
  readonly #parentId: HTMLElement
  /** The status and counts to show; shown at once, or at most every `BUSY_VIEW_INTERVAL` while they change. */
  #statusNow: VolunteerStatus | undefined
  #countsNow: readonly [number, number, number] | undefined
  #shown: { status: VolunteerStatus | undefined; counts: string } = { status: undefined, counts: '' }
  #lastShown = Number.NEGATIVE_INFINITY
  #showLater: ReturnType<typeof setTimeout> | undefined

  constructor(doc: Document) {
    this.#status = element(doc, 'status', HTMLElement)
    this.#deviceName = element(doc, 'device-name', HTMLInputElement)
    this.#volunteerId = element(doc, 'volunteer-id', HTMLElement)
    this.#processed = element(doc, 'processed', HTMLElement)
    this.#failed = element(doc, 'failed', HTMLElement)
    this.#timedOut = element(doc, 'timed-out', HTMLElement)
    this.#throughput = element(doc, 'throughput', HTMLElement)
    this.#message = element(doc, 'message', HTMLElement)
    this.#transport = element(doc, 'transport', HTMLElement)
    this.#depth = element(doc, 'depth', HTMLElement)
    this.#children = element(doc, 'children', HTMLElement)
    this.#parentId = element(doc, 'parent-id', HTMLElement)
  }

  /**
   * The status goes from working to idle and back at every batch, dozens of times a second with quick items,
   * and each change shown costs the page a frame (style, layout, paint) taken from its Worker's core. So
   * `idle` is shown like the counts: at once after a quiet spell, then at most every `BUSY_VIEW_INTERVAL`
   * (the latest state last), by when the next batch has usually made the tab `working` again. Any other
   * status is shown at once: the first item of a tab shows when it comes.
   */
  setStatus(status: VolunteerStatus): void {
    this.#statusNow = status
    if (status === 'idle') {
      this.#showBusy()
    } else if (status !== this.#shown.status) {
      this.#showStatus(status)
      this.#shown = { ...this.#shown, status }
    }
  }

  #showStatus(status: VolunteerStatus): void {
    this.#status.textContent = STATUS_TEXT[status]
    this.#status.dataset.status = status
  }

  setDeviceName(name: string): void {
    this.#deviceName.value = name
  }

  /** Calls `listener` with the new name when the volunteer edits it (on change, i.e. enter or blur). */
  onDeviceNameChange(listener: (name: string) => void): void {
    this.#deviceName.addEventListener('change', () => listener(this.#deviceName.value))
  }

  setVolunteerId(id: string | undefined): void {
    this.#volunteerId.textContent = id ?? '–'
  }

  setTransport(transport: TransportName): void {
    this.#transport.textContent = transport
  }

  /** The tab's place in the tree: its depth (the root's children are at 1) and its parent's id. */
  setPosition(depth: number | undefined, parentId: string | undefined): void {
    this.#depth.textContent = depth === undefined ? '–' : String(depth)
    this.#parentId.textContent = parentId ?? '–'
  }

  setChildren(children: number): void {
    this.#children.textContent = String(children)
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
      this.#processed.textContent = String(counts[0])
      this.#failed.textContent = String(counts[1])
      this.#timedOut.textContent = String(counts[2])
    }
    this.#shown = { status, counts: key }
  }

  setThroughput(itemsPerSecond: number): void {
    const digits = itemsPerSecond < 10 ? 2 : itemsPerSecond < 100 ? 1 : 0
    this.#throughput.textContent = `${itemsPerSecond.toFixed(digits)} items/s`
  }

  /** Shows a message for people (a load error, the root's reason for closing); `undefined` hides it. */
  showMessage(text: string | undefined): void {
    this.#message.textContent = text ?? ''
    this.#message.hidden = text === undefined
  }
}
