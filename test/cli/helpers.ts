import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The repository root: the working directory of every run unless a test says otherwise. */
export const ROOT = fileURLToPath(new URL('../..', import.meta.url))
/** The real executable, as npm links it. */
export const PANDO = join(ROOT, 'packages/cli/bin/pando.js')
export const FIXTURES = join(ROOT, 'test/cli/fixtures')

if (!existsSync(join(ROOT, 'packages/cli/dist/bin.js'))) {
  throw new Error('the CLI is not built: run `npm run build` (or `npx tsc -b packages/cli`) first')
}

export interface RunOptions {
  /** Written to stdin, which is then closed; stdin is empty otherwise. */
  readonly input?: string
  readonly cwd?: string
  /** The home directory (for ~/.pando/config.json); a fresh empty one by default. */
  readonly home?: string
  readonly env?: Record<string, string>
}

export interface RunResult {
  readonly stdout: string
  readonly stderr: string
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
}

/** Starts `pando ARGS` as a child process, with HOME set to a temporary directory. */
export function spawnPando(args: readonly string[], options: RunOptions = {}): ChildProcess {
  return spawn(process.execPath, [PANDO, ...args], {
    cwd: options.cwd ?? ROOT,
    env: { PATH: process.env['PATH'] ?? '', HOME: options.home ?? tempHome(), ...options.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  })
}

/** Runs `pando ARGS` to its end and collects its output. */
export function runPando(args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  const child = spawnPando(args, options)
  child.stdin?.on('error', () => undefined) // pando may exit before reading all of its input
  child.stdin?.end(options.input ?? '')
  return collect(child)
}

/** Waits for a child's end and collects its output (stderr only when something else reads stdout). */
export function collect(child: ChildProcess, { readStdout = true } = {}): Promise<RunResult> {
  let stdout = ''
  let stderr = ''
  if (readStdout) child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
  return new Promise((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (code, signal) => resolve({ stdout, stderr, code, signal }))
  })
}

/** A fresh home directory, with `~/.pando/config.json` holding `config` when given. */
export function tempHome(config?: string): string {
  const home = mkdtempSync(join(tmpdir(), 'pando-home-'))
  if (config !== undefined) {
    mkdirSync(join(home, '.pando'))
    writeFileSync(join(home, '.pando', 'config.json'), config)
  }
  return home
}

/** `count` lines, `0` to `count - 1`, each followed by '\n'. */
export function numberLines(count: number): string {
  return Array.from({ length: count }, (_, i) => `${i}\n`).join('')
}
