import { EXIT_FAILED, MESSAGE_PREFIX } from './constants.ts'
import { isRunStoppedError, isUsageError } from './errors.ts'
import { exitAfterFlush } from './shutdown.ts'

/** Where stderr messages and the progress line meet: the line is erased before a message is written. */
let progressLine: { clear(): void } | undefined
/** `--quiet`: notices (volunteers joining and leaving) are not written; errors and URLs still are. */
let quiet = false

/** Sets what {@link printMessage} and {@link printNotice} must know of the run's stderr. */
export function configureMessages(options: { progressLine?: { clear(): void }; quiet?: boolean }): void {
  progressLine = options.progressLine
  quiet = options.quiet ?? false
}

/** Writes one message for people on stderr, with the `pando: ` prefix. */
export function printMessage(message: string): void {
  writeAboveProgressLine(`${MESSAGE_PREFIX}${message}\n`)
}

/** Writes `text` (whole lines) on stderr, the progress line erased first: it comes back below. */
export function writeAboveProgressLine(text: string): void {
  progressLine?.clear()
  process.stderr.write(text)
}

/** Writes a notice (a volunteer joined…), unless `--quiet`. */
export function printNotice(message: string): void {
  if (!quiet) printMessage(message)
}

/**
 * Reports a bug on this side (not the user's, not a peer's) that the run survives: `while` says what the root
 * was doing (e.g. "taking a message from volunteer 3fa2"); the stack follows, for a bug report.
 */
export function printInternalError(while_: string, error: unknown): void {
  printMessage(`internal error while ${while_}: ${errorText(error)}`)
}

/** An error as a bug report shows it: its stack (which starts with its message), else its text. */
export function errorText(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error)
}

/**
 * Reports an error and exits: status 2 for a usage error (its message says how to fix it), 1 for a stopped
 * run (its message says why) or anything else.
 */
export function exitWithError(error: unknown): void {
  if (isUsageError(error) || isRunStoppedError(error)) {
    printMessage(error.message)
    exitAfterFlush(error.exitCode)
    return
  }
  printMessage(`internal error: ${errorText(error)}`)
  exitAfterFlush(EXIT_FAILED)
}
