import { CLOSE_NORMAL, CLOSE_RECONNECT, reconnectDelay, toWire, type VolunteerToRoot } from '@pando/protocol'

/** What a `Connection` tells its owner. */
export interface ConnectionEvents {
  /** A socket opened; the owner says hello. */
  onOpen: () => void
  /** A text frame arrived. */
  onMessage: (data: string) => void
  /** The socket closed (or never opened); a new attempt starts after `delay` ms. */
  onClose: (info: { code: number; reason: string; delay: number }) => void
}

/** Collaborators, injectable for tests. */
export interface ConnectionComponents {
  WebSocket: typeof WebSocket
  random: () => number
}

/**
 * A WebSocket to the root that comes back by itself: after a close it reconnects with exponential backoff
 * and jitter (see `reconnectDelay`). The backoff restarts from zero when the owner calls `resetBackoff()`,
 * i.e. once the root has accepted the volunteer, not merely when a socket opens.
 */
export class Connection {
  readonly #url: string
  readonly #events: ConnectionEvents
  readonly #components: ConnectionComponents
  #socket: WebSocket | undefined
  #attempt = 0
  #timer: ReturnType<typeof setTimeout> | undefined
  #stopped = false

  constructor(url: string, events: ConnectionEvents, components?: Partial<ConnectionComponents>) {
    this.#url = url
    this.#events = events
    this.#components = { WebSocket: globalThis.WebSocket, random: Math.random, ...components }
  }

  /** Opens the first socket. */
  start(): void {
    this.#stopped = false
    this.#open()
  }

  /** Sends a message if a socket is open; a message for a closed socket is dropped (the root re-lends). */
  send(message: VolunteerToRoot): void {
    const socket = this.#socket
    if (socket?.readyState === this.#components.WebSocket.OPEN) socket.send(JSON.stringify(toWire(message)))
  }

  /** The root accepted this volunteer: the next disconnection retries quickly again. */
  resetBackoff(): void {
    this.#attempt = 0
  }

  /** Drops the current socket (e.g. after a protocol violation); a new one opens after the usual delay. */
  reconnect(code = CLOSE_RECONNECT, reason = 'reconnecting'): void {
    this.#socket?.close(code, reason)
  }

  /** Closes for good. Idempotent. */
  stop(): void {
    this.#stopped = true
    clearTimeout(this.#timer)
    this.#socket?.close(CLOSE_NORMAL, 'volunteer leaving')
    this.#socket = undefined
  }

  #open(): void {
    const socket = new this.#components.WebSocket(this.#url)
    this.#socket = socket
    socket.addEventListener('open', () => this.#events.onOpen())
    socket.addEventListener('message', (event: MessageEvent<unknown>) => {
      if (typeof event.data === 'string') this.#events.onMessage(event.data)
    })
    socket.addEventListener('close', (event) => {
      if (this.#socket !== socket || this.#stopped) return
      this.#socket = undefined
      const delay = reconnectDelay(this.#attempt++, this.#components.random)
      this.#timer = setTimeout(() => this.#open(), delay)
      this.#events.onClose({ code: event.code, reason: event.reason, delay })
    })
  }
}
