import { CLOSE_CUT, CLOSE_NORMAL, CLOSE_PROTOCOL_ERROR, Emitter, fitCloseReason } from '@pando/protocol'
import type { Channel, ChannelEvents, ChannelState } from '../channel.ts'
import { ClosedError, NotOpenError, ProtocolError } from '../errors.ts'

/** `readyState` of a WebSocket that is open (the same in browsers and in `ws`). */
const OPEN = 1

/**
 * The part of a WebSocket a {@link WebSocketChannel} uses, which the browser's `WebSocket` and the `ws`
 * package's both have (`ws` hands text frames to `addEventListener('message')` listeners as strings).
 */
export interface WebSocketLike {
  readonly readyState: number
  send(data: string): void
  close(code?: number, reason?: string): void
  addEventListener(type: 'message', listener: (event: { readonly data: unknown }) => void): void
  addEventListener(
    type: 'close',
    listener: (event: { readonly code: number; readonly reason: string }) => void,
  ): void
  addEventListener(type: 'open' | 'error', listener: () => void): void
}

/** How a channel's WebSocket closed: its close frame's code and reason (`CLOSE_CUT`, 1006, without one). */
export interface WebSocketClose {
  readonly code: number
  readonly reason: string
}

/** Options of a {@link WebSocketChannel}. */
export interface WebSocketChannelOptions<M> {
  /**
   * Turns a text frame into a message; what it throws fails the channel (a `ProtocolError` is sent back as
   * close code `CLOSE_PROTOCOL_ERROR`, or the error's own `closeCode` when it has one).
   * @default JSON.parse
   */
  readonly decode?: (text: string) => M
  /** Turns a message into a text frame. @default JSON.stringify */
  readonly encode?: (message: M) => string
}

/** A close code an error asks for, if it carries one (`closeCode`), else `CLOSE_PROTOCOL_ERROR`. */
function closeCodeOf(error: Error): number {
  const code = (error as { closeCode?: unknown }).closeCode
  return typeof code === 'number' ? code : CLOSE_PROTOCOL_ERROR
}

/**
 * A link over one WebSocket, in the page (the browser's `WebSocket`) or in Node (a `ws` client, or the
 * socket a `ws` server handed over): the overlay's {@link Channel}, so that a WebSocket volunteer's link is
 * watched by the same `Link` (heartbeat, round trip) as a tree link. Messages are JSON text frames; a binary
 * frame or a frame that does not decode fails the channel (`error`, then `close`), closing the socket with
 * `CLOSE_PROTOCOL_ERROR` and the reason. A socket handed over open starts the channel `open` (no `open`
 * event then). How the socket closed, by either side, is kept in {@link WebSocketChannel.closedWith}.
 */
export class WebSocketChannel<M = unknown> extends Emitter<ChannelEvents<M>> implements Channel<M> {
  readonly #socket: WebSocketLike
  readonly #decode: (text: string) => M
  readonly #encode: (message: M) => string
  #state: ChannelState
  #closedWith: WebSocketClose | undefined

  constructor(socket: WebSocketLike, options: WebSocketChannelOptions<M> = {}) {
    super()
    this.#socket = socket
    this.#decode = options.decode ?? ((text) => JSON.parse(text) as M)
    this.#encode = options.encode ?? ((message) => JSON.stringify(message))
    this.#state = socket.readyState === OPEN ? 'open' : socket.readyState < OPEN ? 'connecting' : 'closed'
    if (this.#state === 'closed') this.#closedWith = { code: CLOSE_CUT, reason: '' }
    socket.addEventListener('open', () => this.#opened())
    socket.addEventListener('message', (event) => this.#received(event.data))
    socket.addEventListener('close', (event) => this.#finish({ code: event.code, reason: event.reason }))
    socket.addEventListener('error', () => this.#fail(new Error('the WebSocket failed'), CLOSE_CUT))
  }

  get state(): ChannelState {
    return this.#state
  }

  /** How the socket closed (its code and reason), once the channel is closed. */
  get closedWith(): WebSocketClose | undefined {
    return this.#closedWith
  }

  /**
   * Sends one message as a text frame. Throws {@link NotOpenError} before `open` and {@link ClosedError}
   * after `close`; a message sent while the remote side's close is on its way is dropped.
   */
  send(message: M): void {
    if (this.#state === 'connecting') throw new NotOpenError()
    if (this.#state === 'closed') throw new ClosedError('the WebSocket channel is closed')
    if (this.#socket.readyState === OPEN) this.#socket.send(this.#encode(message))
  }

  /**
   * Closes the socket with `code` and `reason` (cut to fit a close frame); emits `close`. A code this side
   * may not send (a browser sends only 1000 and 3000–4999; nobody sends 1006) closes without one.
   * Idempotent.
   */
  close(code = CLOSE_NORMAL, reason = ''): void {
    if (this.#state === 'closed') return
    try {
      if (code === CLOSE_CUT) this.#socket.close()
      else this.#socket.close(code, fitCloseReason(reason))
    } catch {
      this.#socket.close()
    }
    this.#finish({ code, reason })
  }

  #opened(): void {
    if (this.#state !== 'connecting') return
    this.#state = 'open'
    this.emit('open')
  }

  #received(data: unknown): void {
    if (this.#state !== 'open') return
    let message: M
    try {
      if (typeof data !== 'string') throw new ProtocolError('binary messages are not part of the protocol')
      message = this.#decode(data)
    } catch (error) {
      const failure = error instanceof Error ? error : new ProtocolError(String(error))
      this.#fail(failure, closeCodeOf(failure))
      return
    }
    this.emit('message', message)
  }

  /** One `error`, then the socket closed with `code` and the error's message, then `close`. */
  #fail(error: Error, code: number): void {
    if (this.#state === 'closed') return
    this.emit('error', error)
    this.close(code, error.message)
  }

  #finish(how: WebSocketClose): void {
    if (this.#state === 'closed') return
    this.#state = 'closed'
    this.#closedWith = how
    this.emit('close')
    this.removeAllListeners()
  }
}
