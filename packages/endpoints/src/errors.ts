// Every class sets `name` to its own name: compare `err.name`, not `instanceof`, across bundles.

/** Why a root could not register with a remote `pando-server`. */
export type RemoteServerFailure =
  /** It could not be reached (no connection, no handshake). */
  | 'unreachable'
  /** It refused this root: a wrong secret, another root registered, another version, a broken protocol… */
  | 'refused'

/**
 * A root could not register with a remote `pando-server`: the run cannot start (the CLI says how to fix it).
 * `where` names the server (`pando-server at HOST:PORT`); `reason` is the server's words or the socket's
 * error, not yet made safe for a terminal.
 */
export class RemoteServerError extends Error {
  static override readonly name = 'RemoteServerError'
  readonly failure: RemoteServerFailure
  readonly where: string
  readonly reason: string

  constructor(failure: RemoteServerFailure, where: string, reason: string) {
    super(
      failure === 'unreachable'
        ? `cannot reach ${where} (${reason})`
        : `${where} refused this root: ${reason}`,
    )
    this.name = 'RemoteServerError'
    this.failure = failure
    this.where = where
    this.reason = reason
  }
}
