import type { JoinRequest, AttemptHandlers, Signal, SignalingClient, SignalingAttempt } from '@pando/overlay'
import {
  CLOSE_NORMAL,
  MAX_TREE_LINK_MESSAGE_CHARS,
  checkRelayToJoiner,
  parseJsonText,
  type JoinerSignal,
  type RelayToJoiner,
} from '@pando/protocol'

/** Collaborators, injectable for tests. */
export interface JoinSignalingComponents {
  WebSocket: typeof WebSocket
}

/**
 * The relay's message, checked; `undefined` when it is not one the relay sends. An answer is an SDP or an ICE
 * candidate of a few KB, within a tree link's limit when it came up the tree.
 */
function parseRelayMessage(data: unknown): RelayToJoiner | undefined {
  if (typeof data !== 'string') return undefined
  try {
    return checkRelayToJoiner(parseJsonText(data, MAX_TREE_LINK_MESSAGE_CHARS))
  } catch {
    return undefined
  }
}

/** A socket opened ahead of the first attempt, and the messages it got before the attempt took it. */
interface Preconnected {
  readonly socket: WebSocket
  readonly early: MessageEvent<unknown>[]
  readonly keep: (event: MessageEvent<unknown>) => void
}

/**
 * The joiner's side of the server's signaling relay (`/join`): one WebSocket per join attempt. Signals sent
 * before the socket opens wait for it. The attempt is rejected (so the joiner retries at once rather than at
 * its timeout) when the relay says so, sends something it should not, or the socket closes or fails first.
 *
 * The first attempt's socket may be opened ahead ({@link preconnect}), while the page still loads the run's
 * config: its handshake then overlaps that request instead of following it.
 */
export class JoinSignaling implements SignalingClient {
  readonly #url: string
  readonly #components: JoinSignalingComponents
  #preconnected: Preconnected | undefined

  constructor(url: string, components?: Partial<JoinSignalingComponents>) {
    this.#url = url
    this.#components = { WebSocket: globalThis.WebSocket, ...components }
  }

  /** Opens the next attempt's socket now. Idempotent until an attempt takes it. */
  preconnect(): void {
    if (this.#preconnected !== undefined) return
    const socket = new this.#components.WebSocket(this.#url)
    const early: MessageEvent<unknown>[] = []
    const keep = (event: MessageEvent<unknown>): void => void early.push(event)
    socket.addEventListener('message', keep)
    this.#preconnected = { socket, early, keep }
  }

  /** Closes the socket opened ahead, if no attempt took it (the page does not join after all). */
  dropPreconnected(): void {
    this.#preconnected?.socket.close(CLOSE_NORMAL, 'not joining')
    this.#preconnected = undefined
  }

  open(handlers: AttemptHandlers): SignalingAttempt {
    const { socket, early } = this.#takeSocket()
    const OPEN = this.#components.WebSocket.OPEN
    const queue: string[] = []
    let ended = false
    const end = (): void => {
      ended = true
      queue.length = 0
      socket.close(CLOSE_NORMAL, 'join attempt over')
    }
    const reject = (reason: string): void => {
      if (ended) return
      end()
      handlers.rejected(reason)
    }
    const receive = (event: MessageEvent<unknown>): void => {
      if (ended) return
      const message = parseRelayMessage(event.data)
      if (message === undefined) reject('the signaling relay sent a message this page does not understand')
      else if (message.type === 'rejected') reject(message.reason)
      else handlers.signal(message.signal as Signal)
    }
    socket.addEventListener('open', () => {
      for (const data of queue.splice(0)) socket.send(data)
    })
    socket.addEventListener('message', receive)
    socket.addEventListener('close', () => reject('the signaling connection closed'))
    // What a socket opened ahead got already is heard after `open` returns, as if it came now.
    if (early.length > 0) queueMicrotask(() => early.forEach(receive))
    return {
      send(request: JoinRequest): void {
        if (ended) return
        const message: JoinerSignal = { type: 'join', ...request }
        const data = JSON.stringify(message)
        if (socket.readyState === OPEN) socket.send(data)
        else queue.push(data)
      },
      close: end,
    }
  }

  /** The socket opened ahead while it is not closing, else a new one. */
  #takeSocket(): { socket: WebSocket; early: readonly MessageEvent<unknown>[] } {
    const ahead = this.#preconnected
    this.#preconnected = undefined
    if (ahead !== undefined) {
      ahead.socket.removeEventListener('message', ahead.keep)
      if (ahead.socket.readyState <= this.#components.WebSocket.OPEN) return ahead
      ahead.socket.close()
    }
    return { socket: new this.#components.WebSocket(this.#url), early: [] }
  }
}
