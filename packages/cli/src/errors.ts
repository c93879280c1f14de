import { EXIT_USAGE } from './constants.ts'

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
