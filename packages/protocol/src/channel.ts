import type { Subscribable } from './emitter.ts'

/** Where a channel is in its life. It only moves forward: `connecting` → `open` → `closed`. */
export type ChannelState = 'connecting' | 'open' | 'closed'

/** Events of a {@link Channel}. */
export interface ChannelEvents<M = unknown> {
  /** The channel can send; emitted at most once. */
  open: []
  /** A message from the remote side, already parsed. */
  message: [message: M]
  /** The channel failed; `close` follows. */
  error: [error: Error]
  /** The channel is closed, by either side or by a failure; emitted exactly once, the last event. */
  close: []
}

/**
 * A reliable, ordered, message-oriented link to one peer: what a {@link Link} watches, and what a tree node
 * talks through.
 *
 * A simple-peer data channel (in browsers, or with node-datachannel in Node), a WebSocket (a volunteer's, or
 * the root link to a `pando-server`, either end), and the overlay's in-memory channel all fit it: messages
 * are JSON-able values (the implementation serialises them), `open`/`close`/`error` map to the transport's
 * own events.
 */
export interface Channel<M = unknown> extends Subscribable<ChannelEvents<M>> {
  /** Where the channel is in its life. */
  readonly state: ChannelState
  /**
   * Sends one JSON-able message. Throws {@link NotOpenError} before `open` and {@link ClosedError}
   * after `close`; a message sent just before the remote side closed may be lost.
   */
  send(message: M): void
  /** Closes both sides; emits `close` if not closed yet. Idempotent. */
  close(): void
}
