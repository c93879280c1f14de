import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

/** The repository root, for paths to examples and the binary. */
export const repoRoot = fileURLToPath(new URL('../../', import.meta.url))
export const pandoBin = path.join(repoRoot, 'packages/cli/bin/pando.js')

export interface PandoRun {
  readonly child: ChildProcessWithoutNullStreams
  /** Everything written to stdout so far. */
  stdout(): string
  /** Everything written to stderr so far. */
  stderr(): string
  /** Resolves with the first match of `pattern` on stderr (e.g. the volunteer URL). */
  waitForStderr(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>
  /** Resolves with the number of complete lines on stdout once it reaches `count`. */
  waitForLines(count: number, timeoutMs?: number): Promise<void>
  /** Resolves when the process exits. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
}

export interface PandoRunOptions {
  /** Written to stdin, which is then closed. Leave undefined to keep stdin open. */
  input?: string
  env?: NodeJS.ProcessEnv
  cwd?: string
}

/** A fresh HOME, so that no `~/.pando/config.json` of the machine leaks into a test. */
export function freshHome(): string {
  return mkdtempSync(path.join(os.tmpdir(), 'pando-home-'))
}

function poll(check: () => boolean, what: () => string, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = Date.now()
    const timer = setInterval(() => {
      if (check()) {
        clearInterval(timer)
        resolve()
      } else if (Date.now() - started > timeoutMs) {
        clearInterval(timer)
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what()}`))
      }
    }, 20)
  })
}

/** Starts the real `pando` binary. The caller must make sure it exits (or kill it) before the test ends. */
export function startPando(args: readonly string[], options: PandoRunOptions = {}): PandoRun {
  const child = spawn(process.execPath, [pandoBin, ...args], {
    cwd: options.cwd ?? repoRoot,
    env: { ...process.env, HOME: freshHome(), ...options.env },
  })
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
  if (options.input !== undefined) child.stdin.end(options.input)
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  )
  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    exited,
    async waitForStderr(pattern, timeoutMs = 30_000) {
      await poll(
        () => pattern.test(stderr),
        () => `${pattern} on stderr; got: ${stderr}`,
        timeoutMs,
      )
      return stderr.match(pattern) as RegExpMatchArray
    },
    waitForLines(count, timeoutMs = 60_000) {
      return poll(
        () => stdout.split('\n').length - 1 >= count,
        () => `${count} lines on stdout; got ${stdout.split('\n').length - 1}; stderr: ${stderr}`,
        timeoutMs,
      )
    },
  }
}

/** `from..to-1` as lines, each followed by a newline: what `seq from to-1` prints. */
export function seqLines(from: number, to: number, map: (n: number) => string = String): string {
  let text = ''
  for (let n = from; n < to; n++) text += `${map(n)}\n`
  return text
}
