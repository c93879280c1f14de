import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** Names the directory of this test run once it is made: the setup of every other project takes it too. */
const RUN_TMPDIR = 'PANDO_TEST_RUN_TMPDIR'

/**
 * Global setup of every test project: TMPDIR points at a directory of this test run, removed at its end, so
 * that no run leaves temporary files behind (the directories tests make with `mkdtemp` for pages, homes and
 * runs, the profiles of the Chromium they launch). The test workers, and the processes they start with the
 * environment they inherit, take TMPDIR from this process. Vitest runs this once per project: the first
 * makes the directory and removes it; the others use it as it is, since directories nested one per project
 * would make Chromium's socket paths longer than a Unix socket's 108 bytes (it aborts at start).
 */
export default async function setup(): Promise<() => Promise<void>> {
  if (process.env[RUN_TMPDIR] !== undefined) return async () => undefined
  const previous = process.env['TMPDIR']
  const dir = await mkdtemp(join(tmpdir(), 'pando-tests-'))
  process.env['TMPDIR'] = dir
  process.env[RUN_TMPDIR] = dir
  return async () => {
    if (previous === undefined) delete process.env['TMPDIR']
    else process.env['TMPDIR'] = previous
    delete process.env[RUN_TMPDIR]
    await rm(dir, { recursive: true, force: true })
  }
}
