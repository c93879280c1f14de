/**
 * Messages between a joining tab and the server's signaling relay (`/join`): one WebSocket per join
 * attempt. The relay tags the attempt with an origin of its own making, hands the joiner's signals to the
 * root (as the overlay's `join-signal` messages), and passes back what the tree answers to that origin
 * only: a joiner can reach no one but the node that accepts it, through the tree.
 */

/** Joiner → relay: one signal of the attempt, in order. */
export interface JoinerSignal {
  readonly type: 'join'
  /** 0 for the first signal (the offer), then 1, 2… */
  readonly seq: number
  /** 1, or the size of the subtree an orphan brings back. */
  readonly weight: number
  /** An SDP offer or an ICE candidate, as simple-peer gives it. */
  readonly signal: unknown
}

/** Relay → joiner: a signal of the accepting node, or the news that the attempt failed. */
export type RelayToJoiner =
  | { readonly type: 'answer'; readonly signal: unknown }
  | { readonly type: 'rejected'; readonly reason: string }
