// Every class sets `name` to its own name: compare `err.name`, not `instanceof`, across bundles.

/** A channel misused (`ClosedError`, `NotOpenError`) and a silent peer: the protocol package's, as its `Link`'s. */
export { ClosedError, HeartbeatTimeoutError, NotOpenError } from '@pando/protocol'

/**
 * A peer sent a malformed control message, or one it may not send; the node closes that link. The protocol
 * package's one `ProtocolError`, the same class wherever a peer breaks the protocol.
 */
export { ProtocolError } from '@pando/protocol'

/** A join attempt did not open a channel within the bootstrap timeout; the joiner retries. */
export class JoinTimeoutError extends Error {
  static override readonly name = 'JoinTimeoutError'
  constructor(timeoutMs: number) {
    super(`no parent connected within ${String(timeoutMs)} ms`)
    this.name = 'JoinTimeoutError'
  }
}

/** The tree gave up on a join attempt (its path broke, or its candidate failed); the joiner retries. */
export class JoinRejectedError extends Error {
  static override readonly name = 'JoinRejectedError'
  constructor(reason: string) {
    super(`join rejected: ${reason}`)
    this.name = 'JoinRejectedError'
  }
}

/** A join attempt's channel closed or failed before it opened; the joiner retries. */
export class JoinAbortedError extends Error {
  static override readonly name = 'JoinAbortedError'
  constructor(message = 'the channel closed before it opened') {
    super(message)
    this.name = 'JoinAbortedError'
  }
}

/** A channel received a signal it cannot use (wrong shape or order); it emits this, then closes. */
export class SignalError extends Error {
  static override readonly name = 'SignalError'
  constructor(message: string) {
    super(message)
    this.name = 'SignalError'
  }
}
