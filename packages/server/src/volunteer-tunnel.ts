import {
  CLOSE_CUT,
  CLOSE_PROTOCOL_ERROR,
  CLOSE_TRY_AGAIN_LATER,
  fitCloseReason,
  type RootToVolunteer,
  type ServerToRoot,
} from '@pando/protocol'
import { WebSocket, type RawData } from 'ws'
import { closeWithReason } from './websocket-endpoint.ts'

/** Tells a volunteer page why it is being closed (it shows the reason), then closes its socket. */
export function closeVolunteer(socket: WebSocket, code: number, reason: string): void {
  closeWithReason(socket, code, reason, { type: 'error', reason } satisfies RootToVolunteer)
}

function rawText(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8')
  return (Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data)).toString('utf8')
}

/**
 * The volunteers' WebSockets of one root, tunnelled over its root link: the server keeps each socket (and
 * its heartbeat), numbers it, and passes its text frames to the root and the root's back. The root runs
 * the volunteer protocol; the server only relays.
 */
export class VolunteerTunnel {
  /** Sends to the root; false when the message could not go (the link is closed or far behind). */
  readonly #send: (message: ServerToRoot) => boolean
  readonly #sockets = new Map<number, WebSocket>()
  #next = 0
  #closed = false

  constructor(send: (message: ServerToRoot) => boolean) {
    this.#send = send
  }

  /** Volunteers now tunnelled. */
  get size(): number {
    return this.#sockets.size
  }

  /** Tunnels `socket` to the root until one of them closes it. */
  open(socket: WebSocket): void {
    const connection = ++this.#next
    this.#sockets.set(connection, socket)
    socket.on('message', (data: RawData, isBinary: boolean) => {
      if (this.#sockets.get(connection) !== socket) return
      if (isBinary) {
        closeVolunteer(socket, CLOSE_PROTOCOL_ERROR, 'binary messages are not part of the protocol')
      } else if (!this.#send({ type: 'volunteer-message', connection, data: rawText(data) })) {
        closeVolunteer(socket, CLOSE_TRY_AGAIN_LATER, 'the root is not keeping up: try again later')
      }
    })
    socket.on('close', (code: number, reason: Buffer) => {
      if (this.#sockets.get(connection) !== socket) return
      this.#sockets.delete(connection)
      if (this.#closed) return
      const known = code >= 1000 && code <= 4999 ? code : CLOSE_CUT
      this.#send({ type: 'volunteer-close', connection, code: known, reason: reason.toString('utf8') })
    })
    this.#send({ type: 'volunteer-open', connection })
  }

  /** A text frame from the root for volunteer `connection`; dropped if it has gone. */
  send(connection: number, data: string): void {
    const socket = this.#sockets.get(connection)
    if (socket?.readyState === WebSocket.OPEN) socket.send(data)
  }

  /** The root closes volunteer `connection`; its 'close' then goes back to the root as for any other. */
  close(connection: number, code: number, reason: string): void {
    this.#sockets.get(connection)?.close(code, fitCloseReason(reason))
  }

  /** The root has gone: every volunteer is told why and closed. Idempotent. */
  closeAll(code: number, reason: string): void {
    this.#closed = true
    for (const socket of this.#sockets.values()) closeVolunteer(socket, code, reason)
    this.#sockets.clear()
  }
}
