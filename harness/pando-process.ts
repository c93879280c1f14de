import { spawn, type ChildProcess, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The repository root: the working directory of every run unless a test says otherwise. */
export const ROOT = fileURLToPath(new URL('..', import.meta.url))
/** The real executable, as npm links it. */
export const PANDO = join(ROOT, 'packages/pando-computing/bin/pando.js')
/** The real `pando-server` executable. */
export const PANDO_SERVER = join(ROOT, 'packages/pando-computing/bin/pando-server.js')

if (!existsSync(join(ROOT, 'packages/cli/dist/bin.js'))) {
  throw new Error('the CLI is not built: run `npm run build` first')
}

/** A run that outlives this: the longest a test waits for `pando` before it kills it. */
const RUN_TIMEOUT_MS = 100_000

/** Every `pando` still running, killed when the test process exits, so no test leaves one behind. */
const running = new Set<ChildProcess>()
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL')
})

export interface SpawnOptions {
  readonly cwd?: string
  /** The home directory (for ~/.pando/config.json); a fresh empty one by default. */
  readonly home?: string
  readonly env?: Record<string, string>
  /** The executable to run: `pando` unless a test says otherwise (e.g. {@link PANDO_SERVER}). */
  readonly bin?: string
}

export interface RunOptions extends SpawnOptions {
  /** Written to stdin, which is then closed; stdin is empty otherwise. */
  readonly input?: string
}

export interface RunResult {
  readonly stdout: string
  readonly stderr: string
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
}

/**
 * Starts `pando ARGS` as a child process, with HOME set to a temporary directory. It is killed if it is
 * still running after {@link RUN_TIMEOUT_MS} or when the test process exits.
 */
export function spawnPando(
  args: readonly string[],
  options: SpawnOptions = {},
): ChildProcessWithoutNullStreams {
  // A home of its own, unless the caller gave one (and reads it): removed when the process has gone, since
  // the bench runs outside the test run's temporary directory.
  const ownHome = options.home === undefined ? tempHome() : undefined
  // The executable itself, as a user runs it: its #! line gives node its flags.
  const child = spawn(options.bin ?? PANDO, args, {
    cwd: options.cwd ?? ROOT,
    env: { ...inheritedEnv(), HOME: options.home ?? ownHome ?? '', ...options.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  })
  running.add(child)
  const timer = setTimeout(() => child.kill('SIGKILL'), RUN_TIMEOUT_MS)
  child.on('exit', () => {
    clearTimeout(timer)
    running.delete(child)
  })
  child.on('close', () => {
    if (ownHome !== undefined) rmSync(ownHome, { recursive: true, force: true })
  })
  return child
}

/** Runs `pando ARGS` to its end and collects its output. */
export function runPando(args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  const child = spawnPando(args, options)
  child.stdin.on('error', () => undefined) // pando may exit before reading all of its input
  child.stdin.end(options.input ?? '')
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

/**
 * What a `pando` started here takes of this process's environment: `PATH`, and `TMPDIR`, the test run's
 * temporary directory (test/support/scoped-tmpdir.ts), removed at its end, so that what a root killed with
 * SIGKILL cannot remove (its run directory) goes with it. The `pando`s of a test run share one cache of
 * bundles in it (`XDG_CACHE_HOME`), as one user's runs do. Nothing else: a test says what else it sets.
 */
export function inheritedEnv(): Record<string, string> {
  const { PATH = '', TMPDIR } = process.env
  return TMPDIR === undefined ? { PATH } : { PATH, TMPDIR, XDG_CACHE_HOME: join(TMPDIR, 'pando-cache') }
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

/** `from` to `to - 1`, one per line, each mapped by `map`: what `seq from to-1` prints, or their images. */
export function seqLines(from: number, to: number, map: (n: number) => string = String): string {
  let text = ''
  for (let n = from; n < to; n++) text += `${map(n)}\n`
  return text
}

/** A `pando` that a test watches while it runs: to open tabs once it listens, to close one mid-run… */
export interface PandoRun {
  readonly child: ChildProcessWithoutNullStreams
  /** Everything written to stdout so far. */
  stdout(): string
  /** Everything written to stderr so far. */
  stderr(): string
  /** Resolves with the first match of `pattern` on stderr (e.g. the volunteer URL). */
  waitForStderr(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>
  /** Resolves once stdout holds at least `count` complete lines. */
  waitForLines(count: number, timeoutMs?: number): Promise<void>
  /** Resolves when the process has exited and its output is read. */
  readonly exited: Promise<RunResult>
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

/** Starts `pando ARGS`; `input`, when given, is written to its stdin, which is then closed. */
export function startPando(args: readonly string[], options: RunOptions = {}): PandoRun {
  const child = spawnPando(args, options)
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
  child.stdin.on('error', () => undefined)
  if (options.input !== undefined) child.stdin.end(options.input)
  const exited = new Promise<RunResult>((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (code, signal) => resolve({ stdout, stderr, code, signal }))
  })
  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    exited,
    async waitForStderr(pattern, timeoutMs = 90_000) {
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

/**
 * The volunteer URL `pando` or `pando-server` prints, on localhost (127.0.0.1 when it listens there only): its port (group 1) and its access token
 * (group 2). The dashboard's is {@link PRINTED_DASHBOARD_URL}.
 */
export const PRINTED_URL = /http:\/\/(?:localhost|127\.0\.0\.1):(\d+)\/\?token=([\w-]+)/

/** The dashboard URL printed, on localhost: its port (group 1) and token (group 2). */
export const PRINTED_DASHBOARD_URL = /http:\/\/(?:localhost|127\.0\.0\.1):(\d+)\/monitor\/\?token=([\w-]+)/

/** A server as printed: the page's URL, its port and its access token. */
export interface PrintedServer {
  readonly url: string
  readonly port: string
  readonly token: string
}

/** The server of a {@link PRINTED_URL} match. */
export function printedServer(match: RegExpMatchArray): PrintedServer {
  const [url = '', port = '', token = ''] = match
  return { url, port, token }
}

/** Waits for the volunteer URL on `run`'s stderr. */
export async function waitForServer(run: PandoRun, timeoutMs?: number): Promise<PrintedServer> {
  return printedServer(await run.waitForStderr(PRINTED_URL, timeoutMs))
}

/**
 * `path` on `server` at 127.0.0.1, with its token, as a page of the server reaches it
 * (`http://127.0.0.1:PORT/run/config.json?token=…`; `ws:` for its sockets).
 */
export function serverUrl(server: PrintedServer, path: string, scheme: 'http' | 'ws' = 'http'): string {
  const url = new URL(path, `${scheme}://127.0.0.1:${server.port}`)
  url.searchParams.set('token', server.token)
  return url.href
}
