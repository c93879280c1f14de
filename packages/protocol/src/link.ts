import type { Channel } from './channel.ts'
import type { Clock } from './clock.ts'
import { HeartbeatTimeoutError } from './errors.ts'
import { Heartbeat } from './heartbeat.ts'
import { RoundTrip } from './round-trip.ts'

/** What a {@link Link} reports to its node. */
export interface LinkHandlers {
  message(message: unknown): void
  /** The channel closed, for whatever reason; called once. */
  closed(): void
  /** The peer was silent too long (`silentMs`, since its last sign of life); the channel is being closed. */
  silent(error: HeartbeatTimeoutError, silentMs: number): void
  /** The heartbeats measured the round trip to the peer again: `ms`, smoothed. */
  roundTrip?(ms: number): void
}

/**
 * An open channel to one peer: it forwards messages, watches the peer with a heartbeat (every message counts
 * as a sign of life), measures the round trip with the heartbeats (see `RoundTrip`) and lets go of the
 * channel's events once it closed. Every link of a run is one: a tree link to a parent or a child (the
 * overlay's peer channels), a WebSocket volunteer's, on either end (the overlay's `WebSocketChannel` in the
 * page, a `DeliveredChannel` at the root), and the root link between a root and a `pando-server`, on
 * either end (a `DeliveredChannel` each).
 */
export class Link<C extends Channel = Channel> {
  private readonly heartbeat: Heartbeat | undefined
  private readonly roundTrip: RoundTrip
  private readonly onMessage = (message: unknown): void => {
    this.heartbeat?.received()
    const measured = this.roundTrip.received(message)
    if (measured !== undefined) this.handlers.roundTrip?.(measured)
    this.handlers.message(message)
  }
  private readonly onClose = (): void => {
    this.detach()
    this.handlers.closed()
  }

  constructor(
    readonly channel: C,
    clock: Clock,
    heartbeatMs: number,
    private readonly handlers: LinkHandlers,
  ) {
    this.roundTrip = new RoundTrip(clock)
    if (heartbeatMs > 0) {
      this.heartbeat = new Heartbeat(
        { timeoutMs: heartbeatMs },
        {
          clock,
          send: () => this.send(this.roundTrip.heartbeat()),
          onTimeout: (silentMs) => {
            handlers.silent(new HeartbeatTimeoutError(heartbeatMs), silentMs)
            channel.close()
          },
        },
      )
    }
    channel.on('message', this.onMessage)
    channel.on('close', this.onClose)
    this.heartbeat?.start()
    if (channel.state === 'closed') this.onClose()
  }

  /** Sends `message` if the channel is open; returns whether it did. */
  send(message: unknown): boolean {
    if (this.channel.state !== 'open') return false
    this.channel.send(message)
    return true
  }

  close(): void {
    this.channel.close()
  }

  private detach(): void {
    this.heartbeat?.stop()
    this.channel.off('message', this.onMessage)
    this.channel.off('close', this.onClose)
  }
}
