// Every class sets `name` to its own name: compare `err.name`, not `instanceof`, across the page and its Workers.

/** The server has no run to serve yet (a `pando-server` with no root registered answers 503). */
export class NoRunYetError extends Error {
  static override readonly name: string = 'NoRunYetError'
  constructor(message: string) {
    super(message)
    this.name = 'NoRunYetError'
  }
}

/**
 * The server has no run, and says its last one finished (`RUN_ENDED_REASON`): its root ended it normally.
 * Still a {@link NoRunYetError} to a page that was in no run: it waits for the next.
 */
export class RunEndedError extends NoRunYetError {
  static override readonly name = 'RunEndedError'
  constructor(message: string) {
    super(message)
    this.name = 'RunEndedError'
  }
}

/** The server answered the run's configuration with an HTTP error other than "no run yet" (its status says which). */
export class RunConfigUnavailableError extends Error {
  static override readonly name = 'RunConfigUnavailableError'
  constructor(
    message: string,
    /** The HTTP status of the answer. */
    readonly status: number,
  ) {
    super(message)
    this.name = 'RunConfigUnavailableError'
  }
}

/** The page used its Worker out of turn (a module loaded twice, or items before a module): a bug of the page's. */
export class WorkerStateError extends Error {
  static override readonly name = 'WorkerStateError'
  constructor(message: string) {
    super(message)
    this.name = 'WorkerStateError'
  }
}
