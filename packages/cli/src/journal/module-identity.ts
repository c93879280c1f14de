import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { BUNDLE_FILENAME } from '@pando/bundler'
import type { ModuleIdentity } from './journal-records.ts'

async function sha256Of(file: string): Promise<string> {
  return createHash('sha256')
    .update(await readFile(file))
    .digest('hex')
}

/** A networked run's module: the bundle the volunteers run (the module with what it imports). */
export async function bundleIdentity(runDir: string): Promise<ModuleIdentity> {
  return { sha256: await sha256Of(path.join(runDir, BUNDLE_FILENAME)), of: 'bundle' }
}

/** A `--local` run's module: there is no bundle, so its source file (what it imports is not covered). */
export async function sourceIdentity(modulePath: string): Promise<ModuleIdentity> {
  return { sha256: await sha256Of(path.resolve(modulePath)), of: 'source' }
}
