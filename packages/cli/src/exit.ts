import { EXIT_FAILED, MESSAGE_PREFIX } from './constants.ts'
import { isUsageError } from './errors.ts'

/**
 * Ends the process with `code` once stdout has taken every result (it is asynchronous when it is a TTY, or a
 * pipe on some systems). Stops the event loop even when the user's module left timers or sockets open.
 */
export function exitAfterFlush(code: number): void {
  const stdout = process.stdout
  if (stdout.destroyed || stdout.writableLength === 0) process.exit(code)
  stdout.write('', () => process.exit(code))
}

/** Writes one message for people on stderr, with the `pando: ` prefix. */
export function printMessage(message: string): void {
  process.stderr.write(`${MESSAGE_PREFIX}${message}\n`)
}

/** Reports an error and exits: status 2 for a usage error (its message says how to fix it), 1 otherwise. */
export function exitWithError(error: unknown): void {
  if (isUsageError(error)) {
    printMessage(error.message)
    exitAfterFlush(error.exitCode)
    return
  }
  printMessage(`internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`)
  exitAfterFlush(EXIT_FAILED)
}
