import { readFileSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import vm from 'node:vm'
import { WORKER_MODULE_GLOBAL } from '@pando/protocol'

export const fixture = (name: string): string => path.join(import.meta.dirname, 'fixtures', name)

/** A fresh temporary directory, and a function that removes it. */
export async function tempDir(): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'pando-bundler-test-'))
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) }
}

/**
 * Runs a bundle as a Worker would, in a fresh context whose `self` is its global object, and returns what the
 * bundle assigned to the Worker global, plus the figures passed to `report()`.
 */
export function runBundle(file: string): { namespace: unknown; reports: unknown[] } {
  const reports: unknown[] = []
  const context: Record<string, unknown> = {
    setTimeout,
    __pandoReport: (figures: unknown) => reports.push(figures),
  }
  context.self = context
  vm.createContext(context)
  vm.runInContext(readFileSync(file, 'utf8'), context, { filename: file })
  return { namespace: context[WORKER_MODULE_GLOBAL], reports }
}
