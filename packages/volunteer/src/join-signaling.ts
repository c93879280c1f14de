import type { JoinRequest, SessionHandlers, Signal, SignalingClient, SignalingSession } from '@pando/overlay'
import type { JoinerSignal, RelayToJoiner } from '@pando/protocol'

/** Collaborators, injectable for tests. */
export interface JoinSignalingComponents {
  WebSocket: typeof WebSocket
}

/** The relay's message, checked; `undefined` when it is not one the relay sends. */
function parseRelayMessage(data: unknown): RelayToJoiner | undefined {
  if (typeof data !== 'string') return undefined
  let message: unknown
  try {
    message = JSON.parse(data)
  } catch {
    return undefined
  }
  if (typeof message !== 'object' || message === null) return undefined
  const m = message as Record<string, unknown>
  if (m.type === 'answer' && typeof m.signal === 'object' && m.signal !== null) {
    return { type: 'answer', signal: m.signal }
  }
  if (m.type === 'rejected' && typeof m.reason === 'string') return { type: 'rejected', reason: m.reason }
  return undefined
}

/**
 * The joiner's side of the server's signaling relay (`/join`): one WebSocket per join attempt. Signals sent
 * before the socket opens wait for it. The attempt is rejected (so the joiner retries at once rather than at
 * its timeout) when the relay says so, sends something it should not, or the socket closes or fails first.
 */
export class JoinSignaling implements SignalingClient {
  readonly #url: string
  readonly #components: JoinSignalingComponents

  constructor(url: string, components?: Partial<JoinSignalingComponents>) {
    this.#url = url
    this.#components = { WebSocket: globalThis.WebSocket, ...components }
  }

  open(handlers: SessionHandlers): SignalingSession {
    const socket = new this.#components.WebSocket(this.#url)
    const OPEN = this.#components.WebSocket.OPEN
    const queue: string[] = []
    let ended = false
    const end = (): void => {
      ended = true
      queue.length = 0
      socket.close(1000, 'join attempt over')
    }
    const reject = (reason: string): void => {
      if (ended) return
      end()
      handlers.rejected(reason)
    }
    socket.addEventListener('open', () => {
      for (const data of queue.splice(0)) socket.send(data)
    })
    socket.addEventListener('message', (event: MessageEvent<unknown>) => {
      if (ended) return
      const message = parseRelayMessage(event.data)
      if (message === undefined) reject('the signaling relay sent a message this page does not understand')
      else if (message.type === 'rejected') reject(message.reason)
      else handlers.signal(message.signal as Signal)
    })
    socket.addEventListener('close', () => reject('the signaling connection closed'))
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
}
