/**
 * What must be undone before the process ends, however it ends: a run registers the release of what it
 * started (the server, the tabs it opened, its temporary directory), and a signal runs them before exiting.
 */
const releases = new Set<() => unknown>()

/** The longest a signal waits for the releases before exiting anyway. */
const SHUTDOWN_GRACE_MS = 2_000

/** Registers `release` to run at shutdown; returns a function that unregisters it (after a normal end). */
export function onShutdown(release: () => unknown): () => void {
  releases.add(release)
  return () => releases.delete(release)
}

/** Runs every registered release, newest first, then exits with `code` (within a grace period). */
export function shutdownAndExit(code: number): void {
  const pending = [...releases].reverse()
  releases.clear()
  const timer = setTimeout(() => process.exit(code), SHUTDOWN_GRACE_MS)
  void (async () => {
    for (const release of pending) await Promise.resolve(release()).catch(() => undefined)
    clearTimeout(timer)
    process.exit(code)
  })()
}
