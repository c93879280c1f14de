import type { ChannelEvents, ChannelState, Subscribable } from '@pando/protocol'

/** The channel a tree node talks through, and what a `Link` watches: the protocol package's. */
export type { Channel, ChannelEvents, ChannelState } from '@pando/protocol'

/** A value that survives `JSON.stringify`/`JSON.parse` unchanged. */
export type JsonValue =
  null | boolean | number | string | readonly JsonValue[] | { readonly [key: string]: JsonValue }

/**
 * One signaling payload (an SDP offer or answer, an ICE candidate, a relayed connection's id…). The overlay never
 * looks inside it: it only carries it between the joiner and the node that accepts it.
 */
export type Signal = JsonValue

/** Events of a {@link PeerChannel}: those of a channel, plus the signals it produces while connecting. */
export interface PeerChannelEvents<M = unknown> extends ChannelEvents<M> {
  /** A signal to deliver to the remote side's {@link PeerChannel.signal}, in order. */
  signal: [signal: Signal]
}

/**
 * A channel that needs signaling to connect (WebRTC, or one relayed through a server): it emits signals to carry to the
 * remote side and consumes the remote side's through {@link PeerChannel.signal}. The joiner's end is the
 * initiator; the accepting node's end is not.
 */
export interface PeerChannel<M = unknown> extends Subscribable<PeerChannelEvents<M>> {
  /** Where the channel is in its life. */
  readonly state: ChannelState
  /** As {@link Channel.send}. */
  send(message: M): void
  /** As {@link Channel.close}. */
  close(): void
  /**
   * Consumes a signal from the remote side. A signal it cannot use makes it emit `error` (a
   * {@link SignalError}) then `close`. Throws {@link ClosedError} after `close`.
   */
  signal(signal: Signal): void
}

/** Options of {@link Connector.create}. */
export interface ConnectOptions {
  /** `true` on the joiner's side: that end emits the first signal (the offer). */
  readonly initiator: boolean
}

/** Makes the channels of one transport: the tree node's channel factory. */
export interface Connector<M = unknown> {
  /** A new, connecting channel; an initiator starts emitting `signal` events after this returns. */
  create(options: ConnectOptions): PeerChannel<M>
}
