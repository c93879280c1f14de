import {
  CLOSE_NORMAL,
  parseMonitorMessage,
  reconnectDelay,
  withPageToken,
  type MonitorMessage,
} from '@pando/protocol'

/** Where the client is: opening its first socket, receiving, or waiting `delay` ms to try again. */
export type ConnectionState =
  | { readonly state: 'connecting' }
  | { readonly state: 'live' }
  | { readonly state: 'reconnecting'; readonly delay: number; readonly reason: string }

/** What a `MonitorClient` tells its owner. */
export interface MonitorClientEvents {
  onMessage: (message: MonitorMessage) => void
  onState: (state: ConnectionState) => void
}

/** Collaborators, injectable for tests. */
export interface MonitorClientComponents {
  WebSocket: typeof WebSocket
  random: () => number
}

/**
 * A read-only WebSocket client of the root's monitor feed that comes back by itself: after a close it
 * reconnects with exponential backoff and jitter, reset once a socket opens. Malformed messages are
 * skipped (the next status replaces them anyway).
 */
export class MonitorClient {
  readonly #url: string
  readonly #events: MonitorClientEvents
  readonly #components: MonitorClientComponents
  #socket: WebSocket | undefined
  #attempt = 0
  #timer: ReturnType<typeof setTimeout> | undefined
  #stopped = false

  constructor(url: string, events: MonitorClientEvents, components?: Partial<MonitorClientComponents>) {
    this.#url = url
    this.#events = events
    this.#components = { WebSocket: globalThis.WebSocket, random: Math.random, ...components }
  }

  /** Opens the first socket. */
  start(): void {
    this.#stopped = false
    this.#events.onState({ state: 'connecting' })
    this.#open()
  }

  /** Closes for good. Idempotent. */
  stop(): void {
    this.#stopped = true
    clearTimeout(this.#timer)
    this.#socket?.close(CLOSE_NORMAL, 'dashboard closed')
    this.#socket = undefined
  }

  #open(): void {
    const socket = new this.#components.WebSocket(this.#url)
    this.#socket = socket
    socket.addEventListener('open', () => {
      this.#attempt = 0
      this.#events.onState({ state: 'live' })
    })
    socket.addEventListener('message', (event: MessageEvent<unknown>) => {
      if (typeof event.data !== 'string') return
      let message: MonitorMessage
      try {
        message = parseMonitorMessage(event.data)
      } catch {
        return
      }
      this.#events.onMessage(message)
    })
    socket.addEventListener('close', (event) => {
      if (this.#socket !== socket || this.#stopped) return
      this.#socket = undefined
      const delay = reconnectDelay(this.#attempt++, this.#components.random)
      this.#timer = setTimeout(() => this.#open(), delay)
      this.#events.onState({ state: 'reconnecting', delay, reason: event.reason })
    })
  }
}

/** The feed's `ws:`/`wss:` URL, relative to the page's own URL, with the page's access token. */
export function feedUrl(pageUrl: string, path: string): string {
  const url = new URL(withPageToken(path, pageUrl))
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:'
  return url.href
}
