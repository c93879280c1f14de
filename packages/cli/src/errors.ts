import { EXIT_FAILED, EXIT_USAGE } from './constants.ts'

/**
 * A mistake in how `pando` was called: a bad option, a missing or unusable module, a malformed config file.
 * Its message says what is wrong and how to fix it; the process exits with status 2.
 */
export class UsageError extends Error {
  static override readonly name = 'UsageError'
  readonly exitCode = EXIT_USAGE
  constructor(message: string) {
    super(message)
    this.name = 'UsageError'
  }
}

/** True for a {@link UsageError}, also across module copies (checks the name, not the prototype). */
export function isUsageError(error: unknown): error is UsageError {
  return error instanceof Error && error.name === 'UsageError'
}

/**
 * A run that cannot go on, for a reason outside the items (its link to a remote `pando-server` was lost).
 * Its message says what happened; the process exits with status 1, the results written so far standing.
 */
export class RunStoppedError extends Error {
  static override readonly name = 'RunStoppedError'
  readonly exitCode = EXIT_FAILED
  constructor(message: string) {
    super(message)
    this.name = 'RunStoppedError'
  }
}

/** True for a {@link RunStoppedError}, also across module copies. */
export function isRunStoppedError(error: unknown): error is RunStoppedError {
  return error instanceof Error && error.name === 'RunStoppedError'
}
