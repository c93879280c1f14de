// What a volunteer tab was lent and what it gave back, as its own messages say: an init script notes them in
// the page, and `notedWork` reads them back. The page's CSP lets no module report to the test, and nothing
// of the product is replaced: the script only wraps the page's WebSocket and `send`.
import type { Page } from 'playwright-core'

/** The work messages the recorder notes: `jobs` the page's WebSocket receives, `return` and `outcomes` it sends. */
export type WorkMessageType = 'jobs' | 'return' | 'outcomes'

/** One work message: when the page got or sent it, and the item ids it names. */
export interface NotedWork {
  readonly at: number
  readonly ids: number[]
}

/**
 * The init script (`context.addInitScript(recordWork)`): notes, with the time, each `jobs` message a
 * WebSocket of the page receives, and each `return` and `outcomes` message the page sends on an open
 * WebSocket or data channel (what it sends once it saw the channel close never reaches a root). Jobs
 * arriving on data channels are not noted: a tab with children relays theirs.
 */
export function recordWork(): void {
  const noted: Record<WorkMessageType, NotedWork[]> = { jobs: [], return: [], outcomes: [] }
  Object.assign(window, { pandoWork: noted })
  const note = (data: unknown, types: readonly WorkMessageType[]): void => {
    if (typeof data !== 'string') return
    const type = types.find((name) => data.includes(`"type":"${name}"`))
    if (type !== undefined) noted[type].push({ at: Date.now(), ids: (JSON.parse(data) as NotedWork).ids })
  }
  const NativeWebSocket = window.WebSocket
  window.WebSocket = class extends NativeWebSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols)
      this.addEventListener('message', (event: MessageEvent<unknown>) => note(event.data, ['jobs']))
    }
  }
  const isOpen = (channel: WebSocket | RTCDataChannel): boolean =>
    channel instanceof RTCDataChannel ? channel.readyState === 'open' : channel.readyState === WebSocket.OPEN
  for (const proto of [WebSocket.prototype, RTCDataChannel.prototype]) {
    const send = proto.send as (this: WebSocket | RTCDataChannel, data: unknown) => void
    proto.send = function (this: WebSocket | RTCDataChannel, data: unknown) {
      if (isOpen(this)) note(data, ['return', 'outcomes'])
      send.call(this, data)
    }
  }
}

/** What `recordWork` noted in `tab` of the messages of `type`, in the order they came. */
export const notedWork = (tab: Page, type: WorkMessageType): Promise<NotedWork[]> =>
  tab.evaluate(
    (key) =>
      (window as unknown as { pandoWork?: Record<WorkMessageType, NotedWork[]> }).pandoWork?.[key] ?? [],
    type,
  )
