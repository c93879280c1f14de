import {
  CLOSE_NORMAL,
  fitCloseReason,
  toWire,
  type RootToVolunteer,
  type VolunteerToRoot,
} from '@pando/protocol'
import { ClosedError, Emitter, type Channel, type ChannelEvents, type ChannelState } from '@pando/overlay'
import type { VolunteerSocket } from './volunteer-socket.ts'

/**
 * A volunteer's socket (a `ws` one, or one tunnelled through a `pando-server`) as the overlay's
 * {@link Channel}, so that the root watches it with the overlay's `Link`, as a tree link: one heartbeat,
 * one round-trip measure. It is open from the start (the socket is); its messages are those the root's
 * volunteer service parsed and hands over ({@link VolunteerChannel.deliver}), so that the parsing keeps
 * its bounds and its close codes. The root's heartbeats go only to a page whose own carry `sentAt` (an
 * older page would not know them); its other messages always go.
 */
export class VolunteerChannel extends Emitter<ChannelEvents> implements Channel {
  readonly #socket: VolunteerSocket
  #state: ChannelState = 'open'
  /** Whether the page's heartbeats measure the round trip, so that it takes the root's. */
  #pageMeasures = false

  constructor(socket: VolunteerSocket) {
    super()
    this.#socket = socket
    socket.onClose(() => this.#closed())
  }

  get state(): ChannelState {
    return this.#state
  }

  /** Sends one message (`toWire`'s form). Throws {@link ClosedError} after `close`. */
  send(message: RootToVolunteer): void {
    if (this.#state === 'closed') throw new ClosedError('the volunteer channel is closed')
    if (message.type === 'heartbeat' && !this.#pageMeasures) return
    this.#socket.send(JSON.stringify(toWire(message)))
  }

  /** A message of the volunteer's, parsed: handed to the listeners (the root's `Link`). */
  deliver(message: VolunteerToRoot): void {
    if (this.#state === 'closed') return
    if (message.type === 'heartbeat' && message.sentAt !== undefined) this.#pageMeasures = true
    this.emit('message', message)
  }

  /** Closes the socket with `code` and `reason` (cut to fit a close frame); emits `close`. Idempotent. */
  close(code = CLOSE_NORMAL, reason = ''): void {
    if (this.#state === 'closed') return
    this.#closed()
    this.#socket.close(code, fitCloseReason(reason))
  }

  #closed(): void {
    if (this.#state === 'closed') return
    this.#state = 'closed'
    this.emit('close')
    this.removeAllListeners()
  }
}
