import {
  CLOSE_NORMAL,
  CLOSE_RECONNECT,
  parseRootMessage,
  reconnectDelay,
  toWire,
  webSocketLinkTimeoutMs,
  type RootToVolunteer,
  type VolunteerToRoot,
} from '@pando/protocol'
import { Link, systemClock, WebSocketChannel } from '@pando/overlay'

/** What a `Connection` tells its owner. */
export interface ConnectionEvents {
  /** A socket opened; the owner says hello. */
  onOpen: () => void
  /** A message from the root, parsed (its heartbeats included: the link has heard them already). */
  onMessage: (message: RootToVolunteer) => void
  /** The root sent what this page cannot parse; the socket closes (and `onClose` follows). */
  onProtocolError?: (error: Error) => void
  /** The socket closed (or never opened); a new attempt starts after `delay` ms. */
  onClose: (info: { code: number; reason: string; delay: number }) => void
}

/** Collaborators, injectable for tests. */
export interface ConnectionComponents {
  WebSocket: typeof WebSocket
  random: () => number
}

/**
 * A message of the root's, parsed; one this page cannot parse fails the channel with `CLOSE_RECONNECT` (the
 * page's own close: a new socket follows, and the page does not take it for the root's refusal).
 */
function parseOrReconnect(text: string): RootToVolunteer {
  try {
    return parseRootMessage(text)
  } catch (error) {
    throw Object.assign(error instanceof Error ? error : new Error(String(error)), {
      closeCode: CLOSE_RECONNECT,
    })
  }
}

/** What the root is told when the page gives it up for its silence. */
export const ROOT_SILENT_REASON = 'the root went silent'

/**
 * A WebSocket to the root that comes back by itself: after a close it reconnects with exponential backoff
 * and jitter (see `reconnectDelay`). The backoff restarts from zero when the owner calls `resetBackoff()`,
 * i.e. once the root has accepted the volunteer, not merely when a socket opens. Each socket is the
 * overlay's `WebSocketChannel`, watched from its opening by the overlay's `Link`, as a tree link is, at
 * `webSocketLinkTimeoutMs(heartbeatMs)`: a heartbeat every half of `heartbeatMs` (which tells the root this
 * page is alive, and echoes the root's heartbeats, so that the root measures the round trip), and a root
 * silent for one and a half heartbeats is given up (closed with `CLOSE_RECONNECT`; a new socket follows).
 */
export class Connection {
  readonly #url: string
  readonly #events: ConnectionEvents
  readonly #components: ConnectionComponents
  #heartbeatMs = 0
  #channel: WebSocketChannel | undefined
  #attempt = 0
  #timer: ReturnType<typeof setTimeout> | undefined
  #stopped = false

  constructor(url: string, events: ConnectionEvents, components?: Partial<ConnectionComponents>) {
    this.#url = url
    this.#events = events
    this.#components = { WebSocket: globalThis.WebSocket, random: Math.random, ...components }
  }

  /** Opens the first socket; its link's heartbeat is `heartbeatMs` (the run's, from `run/config.json`). */
  start(heartbeatMs: number): void {
    this.#stopped = false
    this.#heartbeatMs = heartbeatMs
    this.#open()
  }

  /** Sends a message if a socket is open; a message for a closed socket is dropped (the root re-lends). */
  send(message: VolunteerToRoot): void {
    if (this.#channel?.state === 'open') this.#channel.send(message)
  }

  /** The root accepted this volunteer: the next disconnection retries quickly again. */
  resetBackoff(): void {
    this.#attempt = 0
  }

  /** Drops the current socket (e.g. after a protocol violation); a new one opens after the usual delay. */
  reconnect(code = CLOSE_RECONNECT, reason = 'reconnecting'): void {
    this.#channel?.close(code, reason)
  }

  /** Closes for good. Idempotent. */
  stop(): void {
    this.#stopped = true
    clearTimeout(this.#timer)
    this.#channel?.close(CLOSE_NORMAL, 'volunteer leaving')
    this.#channel = undefined
  }

  #open(): void {
    const channel = new WebSocketChannel(new this.#components.WebSocket(this.#url), {
      decode: parseOrReconnect,
      encode: (message) => JSON.stringify(toWire(message as VolunteerToRoot)),
    })
    this.#channel = channel
    channel.on('open', () => {
      this.#events.onOpen()
      this.#watch(channel)
    })
    channel.on('error', (error) => {
      if (error.name === 'ProtocolError') this.#events.onProtocolError?.(error)
    })
    channel.on('close', () => this.#closed(channel))
  }

  /** The link of an open socket: its heartbeats, the root's silence, the root's messages. */
  #watch(channel: WebSocketChannel): void {
    new Link(channel, systemClock, webSocketLinkTimeoutMs(this.#heartbeatMs), {
      message: (message) => this.#events.onMessage(message as RootToVolunteer),
      closed: () => undefined,
      silent: () => channel.close(CLOSE_RECONNECT, ROOT_SILENT_REASON),
    })
  }

  #closed(channel: WebSocketChannel): void {
    if (this.#channel !== channel || this.#stopped) return
    this.#channel = undefined
    const delay = reconnectDelay(this.#attempt++, this.#components.random)
    this.#timer = setTimeout(() => this.#open(), delay)
    const { code, reason } = channel.closedWith ?? { code: CLOSE_RECONNECT, reason: '' }
    this.#events.onClose({ code, reason, delay })
  }
}
