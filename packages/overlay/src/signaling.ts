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

/** One join attempt's session with the signaling relay. */
export interface SignalingSession {
  /** Sends one signal towards the root's entry, in order. */
  send(request: JoinRequest): void
  /** Ends the session; later answers are dropped. Idempotent. */
  close(): void
}

/** Where a session delivers what comes back for its attempt. */
export interface SessionHandlers {
  /** A signal of the accepting node, in order. */
  signal(signal: Signal): void
  /** The tree gave up on the attempt (see {@link JoinRejectedMessage}). */
  rejected(reason: string): void
}

/**
 * The joiner's side of the signaling relay (the server's WebSocket, or the memory relay). Each session is
 * one join attempt: the relay tags every signal sent on it with an `origin` unique to the session, hands
 * it to the root as a {@link JoinSignalMessage}, and passes back every {@link AnswerSignalMessage} and
 * {@link JoinRejectedMessage} addressed to that origin.
 */
export interface SignalingClient {
  /** Opens a session for one join attempt. */
  open(handlers: SessionHandlers): SignalingSession
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
