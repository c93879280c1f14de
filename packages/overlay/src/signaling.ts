import type { Signal } from './channel.ts'
import type { AnswerSignalMessage, JoinRejectedMessage, JoinSignalMessage } from './messages.ts'

/** What a joiner sends through the signaling relay; the relay adds the attempt's `origin`. */
export interface JoinRequest {
  /** 0 for the first signal of the attempt, then 1, 2… in order. */
  readonly seq: number
  /** Nodes joining: 1, or the size of the subtree an orphan brings along. */
  readonly weight: number
  readonly signal: Signal
}

/** One join attempt's exchange with the signaling relay. */
export interface SignalingAttempt {
  /** Sends one signal towards the root's entry, in order. */
  send(request: JoinRequest): void
  /** Ends the attempt's exchange; later answers are dropped. Idempotent. */
  close(): void
}

/** Where a signaling attempt delivers what comes back for it. */
export interface AttemptHandlers {
  /** A signal of the accepting node, in order. */
  signal(signal: Signal): void
  /** The tree gave up on the attempt (see {@link JoinRejectedMessage}). */
  rejected(reason: string): void
}

/**
 * The joiner's side of the signaling relay (the server's WebSocket, or the memory relay). Each
 * {@link SignalingAttempt} is one join attempt: the relay tags every signal sent on it with an `origin` unique to the attempt, hands
 * it to the root as a {@link JoinSignalMessage}, and passes back every {@link AnswerSignalMessage} and
 * {@link JoinRejectedMessage} addressed to that origin.
 */
export interface SignalingClient {
  /** Opens the exchange of one join attempt. */
  open(handlers: AttemptHandlers): SignalingAttempt
}

/** The root's side of the relay, as a tree node offers it: where join signals go in and answers come out. */
export interface SignalingEntry {
  /** Takes a joiner's signal, tagged with its origin by the relay. */
  handleJoinSignal(message: JoinSignalMessage): void
  /** Calls `listener` with every signal to hand back to a joiner. */
  on(event: 'answer-signal', listener: (message: AnswerSignalMessage) => void): void
  /** Calls `listener` with every rejection to hand back to a joiner. */
  on(event: 'join-rejected', listener: (message: JoinRejectedMessage) => void): void
  off(event: 'answer-signal', listener: (message: AnswerSignalMessage) => void): void
  off(event: 'join-rejected', listener: (message: JoinRejectedMessage) => void): void
}
