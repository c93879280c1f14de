import { execFile, execFileSync, spawn } from 'node:child_process'
import { once } from 'node:events'
import { closeSync, constants, mkdtempSync, openSync, readdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { PANDO, ROOT, collect, seqLines, tempHome } from '../support/pando-process.ts'

/** Runs of the interrupted-reader test: the cut showed in about half of the runs before the fix. */
const INTERRUPTED_RUNS = 12

/** The squares of 0…n-1, one per line: what `square-no-delay.js` writes for `seq 0 n-1`. */
const SQUARES = 1_000_000
const squareLines = seqLines(0, SQUARES, (n) => String(n * n))

/** A fresh, empty directory for TMPDIR, so a test sees every temporary file a run leaves. */
const freshTmp = (): string => mkdtempSync(join(tmpdir(), 'pando-tmp-'))

/** The reader of the interrupted runs: a process that reads its stdin slowly, in small pieces. */
const SLOW_READER = join(ROOT, 'test/cli/fixtures/slow-reader.mjs')

/**
 * Runs `pando` on `seq 0 999999` into the slow reader, sends it `signal` at a random moment once the reader
 * has its first bytes, and returns pando's status and stderr and what the reader got.
 */
async function interruptWhileReadSlowly(
  signal: NodeJS.Signals,
): Promise<{ code: number | null; stderr: string; output: string }> {
  // A named pipe, as a shell's `|` is a pipe (spawn's own stdio pipes are sockets, which fill otherwise).
  const fifo = join(freshTmp(), 'stdout')
  execFileSync('mkfifo', [fifo])
  const readEnd = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK)
  const writeEnd = openSync(fifo, 'w')
  const reader = spawn(process.execPath, [SLOW_READER], { stdio: [readEnd, 'pipe', 'pipe'] })
  const output = collect(reader)
  const child = spawn(PANDO, ['examples/square-no-delay.js', '--stdin', '--local'], {
    cwd: ROOT,
    env: { PATH: process.env['PATH'] ?? '', HOME: tempHome() },
    stdio: ['pipe', writeEnd, 'pipe'],
  })
  closeSync(readEnd)
  closeSync(writeEnd)
  child.stdin!.on('error', () => undefined)
  child.stdin!.end(seqLines(0, SQUARES))
  let stderr = ''
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
  await once(reader.stderr!, 'data')
  await new Promise((resolve) => setTimeout(resolve, 1_000 + Math.random() * 1_500))
  child.kill(signal)
  const [code] = (await once(child, 'close')) as [number | null]
  return { code, stderr, output: (await output).stdout }
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

describe('pando leaves no temporary files', () => {
  it('when the reader closes the pipe early (pando … | head -1), with status 0', async () => {
    const tmp = freshTmp()
    const script =
      `seq 0 99999 | "${process.execPath}" "${PANDO}" examples/square-no-delay.js --stdin --port 0 --no-start-idle ` +
      `2>"$HOME/stderr" | head -1; echo "pando:\${PIPESTATUS[1]}"; cat "$HOME/stderr"`
    const { stdout } = await promisify(execFile)('bash', ['-c', script], {
      cwd: ROOT,
      env: { HOME: tempHome(), TMPDIR: tmp, PATH: process.env['PATH'] ?? '' },
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
      env: { HOME: tempHome(), TMPDIR: tmp, PATH: process.env['PATH'] ?? '' },
    })
    expect(stdout).toMatch(/^pando: volunteers can join at \S+\npando:0\n$/)
    expect(readdirSync(tmp)).toEqual([])
  })
})
