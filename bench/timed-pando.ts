import type { ChildProcessWithoutNullStreams } from 'node:child_process'
import { Readable } from 'node:stream'
import { spawnPando } from '../harness/pando-process.ts'
import { now, pollFor, sleep } from './clock.ts'

/** What `pando` prints on stderr once its volunteer page is served. */
/** The volunteer URL pando prints, with its access token. */
const URL_PATTERN = /volunteers can join at (http:\/\/localhost:\d+\/\?token=[\w-]+)/

/** A moment on stdout: at `at` (see {@link now}), `lines` complete lines had been read in all. */
export interface StdoutMark {
  readonly at: number
  readonly lines: number
}

/** A line of stderr and when it was read. */
export interface StderrLine {
  readonly at: number
  readonly text: string
}

export interface PandoExit {
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
}

/**
 * A `pando` whose output is timed as it streams: each chunk of stdout is counted (never kept) with the time it
 * arrived, each line of stderr is kept with its time.
 */
export interface TimedPando {
  readonly child: ChildProcessWithoutNullStreams
  /** One mark per chunk of stdout that completed at least one line. */
  readonly stdout: readonly StdoutMark[]
  readonly stderr: readonly StderrLine[]
  /** Complete stdout lines so far. */
  lines(): number
  /** The first stderr line that matches `pattern`, once there is one. */
  waitForStderr(pattern: RegExp, timeoutMs?: number): Promise<StderrLine>
  /** The first mark with at least `count` lines, once there is one. */
  waitForLines(count: number, timeoutMs?: number): Promise<StdoutMark>
  /** Resolves when the process has exited and its output is read. */
  readonly exited: Promise<PandoExit>
  /** Interrupts it (SIGINT), then kills it if it is still there 5 s later. */
  stop(): Promise<PandoExit>
}

export interface StartOptions {
  /** Written to stdin, which is then closed; a stream is piped in with backpressure. Stdin stays open otherwise. */
  readonly input?: string | Readable
  readonly env?: Record<string, string>
}

/** Starts `pando ARGS` (the real binary, through the test harness's `spawnPando`) and times its output. */
export function startTimedPando(args: readonly string[], options: StartOptions = {}): TimedPando {
  const child = spawnPando(args, options.env === undefined ? {} : { env: options.env })
  const stdout: StdoutMark[] = []
  const stderr: StderrLine[] = []
  let lines = 0
  child.stdout.on('data', (chunk: Buffer) => {
    const at = now()
    let count = 0
    for (let index = chunk.indexOf(10); index !== -1; index = chunk.indexOf(10, index + 1)) count++
    if (count === 0) return
    lines += count
    stdout.push({ at, lines })
  })
  let partial = ''
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    const at = now()
    const parts = (partial + chunk).split('\n')
    partial = parts.pop() ?? ''
    for (const text of parts) stderr.push({ at, text })
  })
  child.stdin.on('error', () => undefined) // pando may exit, or be stopped, before it read everything
  if (typeof options.input === 'string') child.stdin.end(options.input)
  else if (options.input !== undefined) options.input.on('error', () => undefined).pipe(child.stdin)
  const exited = new Promise<PandoExit>((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (code, signal) => resolve({ code, signal }))
  })
  return {
    child,
    stdout,
    stderr,
    lines: () => lines,
    exited,
    waitForStderr: (pattern, timeoutMs = 30_000) =>
      pollFor(
        () => stderr.find((line) => pattern.test(line.text)),
        `${String(pattern)} on stderr (got: ${stderr.map((line) => line.text).join(' / ')})`,
        timeoutMs,
      ),
    waitForLines: (count, timeoutMs = 60_000) =>
      pollFor(
        () => stdout.find((mark) => mark.lines >= count),
        `${count} lines on stdout (got ${lines}; stderr: ${stderr.map((line) => line.text).join(' / ')})`,
        timeoutMs,
      ),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGINT')
        const stopped = await Promise.race([exited, sleep(5_000).then(() => undefined)])
        if (stopped !== undefined) return stopped
        child.kill('SIGKILL')
      }
      return exited
    },
  }
}

/** Starts a networked `pando` (`--port 0`, loopback ICE addresses) and resolves with its page's URL. */
export async function startNetworkedPando(
  args: readonly string[],
  options: StartOptions = {},
): Promise<{ pando: TimedPando; url: string }> {
  const pando = startTimedPando([...args, '--stdin', '--port', '0', '--ice-addresses', 'loopback'], options)
  try {
    const line = await pando.waitForStderr(URL_PATTERN)
    return { pando, url: (line.text.match(URL_PATTERN) as RegExpMatchArray)[1] as string }
  } catch (error) {
    await pando.stop()
    throw error
  }
}

/**
 * Items per second from the first output line to the last: the lines after the first chunk over the time
 * from the first chunk to the last (so the start-up is not counted).
 */
export function streamRate(marks: readonly StdoutMark[]): number | undefined {
  const first = marks[0]
  const last = marks[marks.length - 1]
  if (first === undefined || last === undefined || last.at <= first.at) return undefined
  return ((last.lines - first.lines) * 1000) / (last.at - first.at)
}

/** `from` to `to - 1`, one per line, each as `map` writes it, as a stream (for inputs too long to hold). */
export function lineStream(from: number, to: number, map: (n: number) => string = String): Readable {
  function* chunks(): Generator<string> {
    const CHUNK = 4096
    for (let start = from; start < to; start += CHUNK) {
      let text = ''
      for (let n = start; n < Math.min(to, start + CHUNK); n++) text += `${map(n)}\n`
      yield text
    }
  }
  return Readable.from(chunks(), { objectMode: false })
}
