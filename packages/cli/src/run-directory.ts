import { rmSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'

/** A temporary directory of this run (in TMPDIR): its bundle, its run files. */
export interface RunDirectory {
  readonly path: string
  /** Removes it (once the server no longer serves it). */
  remove(): Promise<void>
}

/**
 * Makes the run's directory, removed by `remove()` or, at the latest, as the process exits: a signal's grace
 * can run out while the other releases (closing the tabs, the server) still run, and the directory must not
 * be left behind.
 */
export async function makeRunDirectory(): Promise<RunDirectory> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'pando-run-'))
  const removeNow = (): void => rmSync(dir, { recursive: true, force: true })
  process.once('exit', removeNow)
  return {
    path: dir,
    remove: async () => {
      process.off('exit', removeNow)
      await rm(dir, { recursive: true, force: true })
    },
  }
}
