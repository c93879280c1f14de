import type { Channel, ChannelEvents, ChannelState } from './channel.ts'
import { CLOSE_NORMAL, fitCloseReason } from './close-codes.ts'
import { Emitter } from './emitter.ts'
import { ClosedError } from './errors.ts'

/** What a {@link DeliveredChannel} sends and closes through: its owner's socket. */
export interface ChannelTransport<M> {
  /** Sends one message (dropped by the transport once it is closing). */
  send(message: M): void
  /** Closes the socket with `code` and `reason` (fit for a close frame). */
  close(code: number, reason: string): void
}

/**
 * A {@link Channel} over a socket whose frames its owner reads: what it receives is what the owner parsed
 * and hands over ({@link DeliveredChannel.deliver}), so that the parsing keeps its bounds, its phases and its
 * close codes, while a `Link` watches the channel (one heartbeat, one round-trip measure) as it watches any
 * other. Open from the start (the socket is); closed by {@link close}, or when the owner says the socket
 * ended ({@link ended}). The root's end of a volunteer's WebSocket, and both ends of the root link between a
 * root and a `pando-server`, are such channels.
 */
export class DeliveredChannel<M = unknown> extends Emitter<ChannelEvents> implements Channel {
  readonly #transport: ChannelTransport<M>
  #state: ChannelState = 'open'

  constructor(transport: ChannelTransport<M>) {
    super()
    this.#transport = transport
  }

  get state(): ChannelState {
    return this.#state
  }

  /** Sends one message. Throws {@link ClosedError} after `close`. */
  send(message: M): void {
    if (this.#state === 'closed') throw new ClosedError('the channel is closed')
    this.#transport.send(message)
  }

  /** A message the owner parsed: handed to the listeners (the `Link`). Nothing once closed. */
  deliver(message: unknown): void {
    if (this.#state === 'closed') return
    this.emit('message', message)
  }

  /** Closes the socket with `code` and `reason` (cut to fit a close frame); emits `close`. Idempotent. */
  close(code = CLOSE_NORMAL, reason = ''): void {
    if (this.#state === 'closed') return
    this.ended()
    this.#transport.close(code, fitCloseReason(reason))
  }

  /** The socket closed (or failed) on its own: emits `close`, once. */
  ended(): void {
    if (this.#state === 'closed') return
    this.#state = 'closed'
    this.emit('close')
    this.removeAllListeners()
  }
}
