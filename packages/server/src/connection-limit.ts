import type { IncomingMessage } from 'node:http'
import { CLOSE_TRY_AGAIN_LATER } from '@pando/protocol'
import type { WebSocket } from 'ws'
import { limitKey } from './join-relay.ts'
import { closeWithReason } from './websocket-endpoint.ts'

/**
 * A cap on the WebSockets one address holds open on an endpoint at once (an IPv6 address counts by its
 * /64, as for join attempts: see `limitKey`). One more is refused with 1013 "try again later" and a reason.
 */
export class ConnectionLimit {
  /** Open sockets, by address key; an address with none is forgotten. */
  readonly #open = new Map<string, number>()

  /**
   * @param max the most sockets one address may hold open
   * @param what what the sockets are, for the reason (`'volunteer connections'`)
   */
  constructor(
    readonly max: number,
    readonly what: string,
  ) {}

  /** Counts `socket` against its address until it closes; or, over the cap, closes it and says false. */
  admit(socket: WebSocket, request: IncomingMessage): boolean {
    const key = limitKey(request.socket.remoteAddress)
    const open = this.#open.get(key) ?? 0
    if (open >= this.max) {
      const reason = `too many ${this.what} from this address (${this.max}): try again later`
      // Not handed to the endpoint, so nothing else listens: a bad frame while it closes only cuts it.
      socket.on('error', () => socket.terminate())
      closeWithReason(socket, CLOSE_TRY_AGAIN_LATER, reason, { type: 'error', reason })
      return false
    }
    this.#open.set(key, open + 1)
    socket.once('close', () => {
      const left = (this.#open.get(key) ?? 1) - 1
      if (left > 0) this.#open.set(key, left)
      else this.#open.delete(key)
    })
    return true
  }
}
