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
  #shownStatus: VolunteerStatus | undefined

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

  setStatus(status: VolunteerStatus): void {
    // It is set at every batch: writing the DOM only on a change spares the page style work.
    if (status === this.#shownStatus) return
    this.#shownStatus = status
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

  /** Outcomes of this tab's Worker: all, failures, and failures for missing the item deadline. */
  setCounts(processed: number, failed: number, timedOut: number): void {
    this.#processed.textContent = String(processed)
    this.#failed.textContent = String(failed)
    this.#timedOut.textContent = String(timedOut)
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
