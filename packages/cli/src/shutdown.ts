import { SHUTDOWN_GRACE_MS } from './constants.ts'

/**
 * What must be undone before the process ends, however it ends: a run registers the release of what it
 * started (the server, the tabs it opened, its temporary directory, the writing of results), and a signal
 * or a closed output runs them before exiting.
 */
const releases = new Set<() => unknown>()

/** Set by the first shutdown: a later one (a second reason to stop) changes nothing. */
let shuttingDown = false

/** Registers `release` to run at shutdown; returns a function that unregisters it (after a normal end). */
export function onShutdown(release: () => unknown): () => void {
  releases.add(release)
  return () => releases.delete(release)
}

/**
 * Starts every registered release at once, in this turn of the event loop (so the results stop before
 * anything more is written), waits for them and for stdout and stderr to be flushed, then exits with
 * `code`, within a grace period. Only the first call counts.
 */
export function shutdownAndExit(code: number): void {
  if (shuttingDown) return
  shuttingDown = true
  const pending = [...releases].reverse()
  releases.clear()
  setTimeout(() => process.exit(code), SHUTDOWN_GRACE_MS)
  const released = pending.map(async (release) => release())
  void Promise.allSettled(released).then(() => exitAfterFlush(code))
}

/**
 * Ends the process with `code` once stdout has taken every result and stderr every message (writes to a
 * pipe that is full are asynchronous, and `process.exit` would drop what is left of them). Stops the event
 * loop even when the user's module left timers or sockets open.
 */
export function exitAfterFlush(code: number): void {
  void Promise.all([flushed(process.stdout), flushed(process.stderr)]).then(() => process.exit(code))
}

/** Resolves once `stream` has written everything it was given (at once when it holds nothing or failed). */
function flushed(stream: NodeJS.WriteStream): Promise<void> {
  if (stream.destroyed || stream.writableLength === 0) return Promise.resolve()
  return new Promise((resolve) => stream.write('', () => resolve()))
}
