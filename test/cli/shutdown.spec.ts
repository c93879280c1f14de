import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { closeSync, constants, mkdtempSync, openSync, readdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { PANDO, ROOT, collect, inheritedEnv, seqLines, tempHome } from '../../harness/pando-process.ts'

/** Runs of the interrupted-reader test: the cut showed in about half of the runs before the fix. */
const INTERRUPTED_RUNS = 12

/** The squares of 0…n-1, one per line: what `square-no-delay.js` writes for `seq 0 n-1`. */
const SQUARES = 1_000_000
const numberLines = seqLines(0, SQUARES)
const squareLines = seqLines(0, SQUARES, (n) => String(n * n))

/**
 * When the interrupted runs are signalled, in ms after the reader's first bytes: at a random moment, while
 * the pipe is full and pando's writes are partly taken (the slow reader takes some 300 kB a second, and
 * must read whatever pando wrote before the signal: a later signal makes a longer run).
 */
const SIGNAL_AFTER_MS = { least: 200, most: 1_000 }

/** A fresh, empty directory for TMPDIR, so a test sees every temporary file a run leaves. */
const freshTmp = (): string => mkdtempSync(join(tmpdir(), 'pando-tmp-'))

/** The reader of the interrupted runs: a process that reads its stdin slowly, in small pieces. */
const SLOW_READER = join(ROOT, 'test/cli/fixtures/slow-reader.mjs')

/**
 * A pipe into the slow reader: a named pipe, as a shell's `|` is a pipe (spawn's own stdio pipes are
 * sockets, which fill otherwise). Give `writeEnd` to the writer, then call `opened()`.
 */
function slowPipe(): {
  writeEnd: number
  opened(): void
  started: Promise<unknown>
  read: Promise<string>
} {
  const fifo = join(freshTmp(), 'pipe')
  execFileSync('mkfifo', [fifo])
  const readEnd = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK)
  const writeEnd = openSync(fifo, 'w')
  const reader = spawn(process.execPath, [SLOW_READER], { stdio: [readEnd, 'pipe', 'pipe'] })
  const read = collect(reader).then((result) => result.stdout)
  return {
    writeEnd,
    // The writer has its copy: ours go, so the reader sees the end when the writer exits.
    opened: () => [readEnd, writeEnd].forEach((fd) => closeSync(fd)),
    started: once(reader.stderr!, 'data'),
    read,
  }
}

/** Starts `pando ARGS` with stdout or stderr (`into`) into `pipe`, and `input` on stdin. */
function pandoInto(
  pipe: ReturnType<typeof slowPipe>,
  into: 1 | 2,
  args: string[],
  input: string,
): ChildProcess {
  const child = spawn(PANDO, args, {
    cwd: ROOT,
    env: { ...inheritedEnv(), HOME: tempHome() },
    stdio: ['pipe', into === 1 ? pipe.writeEnd : 'pipe', into === 2 ? pipe.writeEnd : 'pipe'],
  })
  pipe.opened()
  child.stdin!.on('error', () => undefined)
  child.stdin!.end(input)
  return child
}

/**
 * Runs `pando` on `seq 0 999999` into the slow reader, sends it `signal` at a random moment once the reader
 * has its first bytes, and returns pando's status and stderr and what the reader got.
 */
async function interruptWhileReadSlowly(
  signal: NodeJS.Signals,
): Promise<{ code: number | null; stderr: string; output: string }> {
  const pipe = slowPipe()
  const child = pandoInto(pipe, 1, ['examples/square-no-delay.js', '--stdin', '--local'], numberLines)
  let stderr = ''
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
  await pipe.started
  const { least, most } = SIGNAL_AFTER_MS
  await new Promise((resolve) => setTimeout(resolve, least + Math.random() * (most - least)))
  child.kill(signal)
  const [code] = (await once(child, 'close')) as [number | null]
  return { code, stderr, output: await pipe.read }
}

describe('pando, interrupted, writes whole lines only', () => {
  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ] as const)(
    'stops at a line boundary on %s while a slow reader reads (many runs)',
    async (signal, status) => {
      for (let run = 0; run < INTERRUPTED_RUNS / 3; run++) {
        const { code, stderr, output } = await interruptWhileReadSlowly(signal)
        expect({ code, stderr }).toEqual({ code: status, stderr: '' })
        expect(output.length).toBeGreaterThan(0)
        // Every line whole and in order: a prefix of the full output that ends with a newline.
        expect(output.slice(-20)).toMatch(/\n$/)
        expect(squareLines.startsWith(output)).toBe(true)
      }
    },
    180_000,
  )
})

describe('pando flushes stderr', () => {
  it('writes every message before it exits, even to a slow reader of stderr', async () => {
    const pipe = slowPipe()
    const items = 3_000
    const child = pandoInto(
      pipe,
      2,
      ['test/cli/fixtures/fail-always.cjs', '--stdin', '--local', '--retries', '0', '--on-error', 'skip'],
      seqLines(0, items),
    )
    const result = collect(child)
    const { code, stdout } = await result
    const lines = (await pipe.read).split('\n')
    expect({ code, stdout }).toEqual({ code: 1, stdout: '' })
    expect(lines).toHaveLength(items + 2)
    expect(lines.at(-3)).toBe(
      `pando: skipped: the function failed on line ${items} of standard input, "${items - 1}" (1 attempt): ` +
        'TypeError: cannot handle 4 characters',
    )
    expect(lines.at(-2)).toBe(
      `pando: ${items} items failed and were skipped (--on-error skip): every other result was written`,
    )
    expect(lines.at(-1)).toBe('')
  }, 180_000)
})

describe('pando leaves no temporary files', () => {
  it('when the reader closes the pipe early (pando … | head -1), with status 0', async () => {
    const tmp = freshTmp()
    const script =
      `seq 0 99999 | "${process.execPath}" "${PANDO}" examples/square-no-delay.js --stdin --port 0 --no-start-idle ` +
      `2>"$HOME/stderr" | head -1; echo "pando:\${PIPESTATUS[1]}"; cat "$HOME/stderr"`
    const { stdout } = await promisify(execFile)('bash', ['-c', script], {
      cwd: ROOT,
      env: { ...inheritedEnv(), HOME: tempHome(), TMPDIR: tmp },
    })
    expect(stdout).toMatch(/^0\npando:0\npando: volunteers can join at .*\n/)
    expect(readdirSync(tmp)).toEqual([])
  })

  it('when stdout and stderr go to a reader that closes early (2>&1 | head -1), with status 0', async () => {
    const tmp = freshTmp()
    const script =
      `seq 0 99999 | "${process.execPath}" "${PANDO}" examples/square-no-delay.js --stdin --port 0 --no-start-idle ` +
      `2>&1 | head -1; echo "pando:\${PIPESTATUS[1]}"`
    const { stdout } = await promisify(execFile)('bash', ['-c', script], {
      cwd: ROOT,
      env: { ...inheritedEnv(), HOME: tempHome(), TMPDIR: tmp },
    })
    expect(stdout).toMatch(/^pando: volunteers can join at \S+\npando:0\n$/)
    expect(readdirSync(tmp)).toEqual([])
  })
})
