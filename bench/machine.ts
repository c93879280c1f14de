import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import os from 'node:os'
import { join } from 'node:path'
import { ROOT } from '../harness/pando-process.ts'

export interface Machine {
  readonly cores: number
  readonly cpuModel: string
  readonly memoryMb: number
  readonly platform: string
  readonly kernel: string
  /** 1, 5 and 15 minute load averages: other work on the machine skews the figures. */
  readonly loadAverage: readonly number[]
}

export function describeMachine(): Machine {
  const cpus = os.cpus()
  return {
    cores: cpus.length,
    cpuModel: cpus[0]?.model ?? 'unknown',
    memoryMb: Math.round(os.totalmem() / 2 ** 20),
    platform: `${os.platform()} ${os.arch()}`,
    kernel: os.release(),
    loadAverage: os.loadavg().map((load) => Math.round(load * 100) / 100),
  }
}

export interface Versions {
  readonly node: string
  readonly chromium: string | undefined
  readonly pando: string
  readonly playwright: string
  /** The commit measured, `+dirty` when the working tree had changes. */
  readonly commit: string | undefined
}

const packageVersion = (path: string): string =>
  (JSON.parse(readFileSync(join(ROOT, path), 'utf8')) as { version: string }).version

function commit(): string | undefined {
  try {
    const git = (...args: string[]): string =>
      execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim()
    return `${git('rev-parse', 'HEAD')}${git('status', '--porcelain') === '' ? '' : '+dirty'}`
  } catch {
    return undefined
  }
}

export function describeVersions(chromium: string | undefined): Versions {
  return {
    node: process.version,
    chromium,
    pando: packageVersion('packages/cli/package.json'),
    playwright: packageVersion('node_modules/playwright-core/package.json'),
    commit: commit(),
  }
}
