import type { Channel, PeerChannel } from './channel.ts'
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
 * An open channel to the parent, to a child or to a WebSocket peer: it forwards messages, watches the peer
 * with a heartbeat (every message counts as a sign of life), measures the round trip with the heartbeats
 * (see `RoundTrip`) and lets go of the channel's events once it closed. The tree's links are peer channels
 * (the default `C`); a WebSocket volunteer's, on either end, is a `WebSocketChannel`.
 */
export class Link<C extends Channel = PeerChannel> {
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
