import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/**
 * Global setup of every test project: TMPDIR points at a directory of this test run, removed at its end, so
 * that no run leaves temporary files behind (the directories tests make with `mkdtemp` for pages, homes and
 * runs, the profiles of the Chromium they launch). The test workers, and the processes they start with the
 * environment they inherit, take TMPDIR from this process.
 */
export default async function setup(): Promise<() => Promise<void>> {
  const previous = process.env['TMPDIR']
  const dir = await mkdtemp(join(tmpdir(), 'pando-tests-'))
  process.env['TMPDIR'] = dir
  return async () => {
    if (previous === undefined) delete process.env['TMPDIR']
    else process.env['TMPDIR'] = previous
    await rm(dir, { recursive: true, force: true })
  }
}
