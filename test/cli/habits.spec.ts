import { spawn } from 'node:child_process'
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runInPseudoTerminal } from '../support/pseudo-terminal.ts'
import {
  PANDO,
  ROOT,
  collect,
  inheritedEnv,
  runPando,
  seqLines,
  tempHome,
} from '../../harness/pando-process.ts'

const ECHO = 'test/cli/fixtures/echo.cjs'
const squares = (from: number, to: number): string => seqLines(from, to, (n) => String(n * n))

/** Runs `pando ARGS` with its stdin on /dev/null, as CI runs it. */
function runWithNullStdin(args: readonly string[]): ReturnType<typeof collect> {
  const child = spawn(PANDO, args, {
    cwd: ROOT,
    env: { ...inheritedEnv(), HOME: tempHome() },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  return collect(child)
}

/** A file holding `text`, in a fresh directory. */
function fileOf(text: string, name = 'items'): string {
  const path = join(mkdtempSync(join(tmpdir(), 'pando-habits-')), name)
  writeFileSync(path, text)
  return path
}

describe('pando with no ITEMS and no --stdin', () => {
  it('reads the items from a pipe, as GNU parallel does', async () => {
    const result = await runPando([ECHO, '--local'], { input: 'a\nb\n' })
    expect(result).toEqual({ stdout: '<a>\n<b>\n', stderr: '', code: 0, signal: null })
  })

  it('reads none with --no-stdin, and says where items come from', async () => {
    const result = await runPando([ECHO, '--local', '--no-stdin'], { input: 'a\nb\n' })
    expect(result).toEqual({
      stdout: '',
      stderr:
        'pando: no items: give them as ITEMS, with --arg-file FILE, or on standard input (a pipe, or --stdin to type them)\n',
      code: 0,
      signal: null,
    })
  })

  it('ends at once with stdin on /dev/null, and still takes ITEMS when given', async () => {
    const [none, given] = await Promise.all([
      runWithNullStdin([ECHO, '--local']),
      runWithNullStdin([ECHO, '--local', 'x', 'y']),
    ])
    expect(none).toEqual({
      stdout: '',
      stderr: '',
      code: 0,
      signal: null,
    })
    expect(given).toEqual({
      stdout: '<x>\n<y>\n',
      stderr: '',
      code: 0,
      signal: null,
    })
  })

  it('does not wait on a terminal: it says where items come from and exits 0', async () => {
    const run = await runInPseudoTerminal([ECHO, '--local'])
    expect(run.screen).toEqual([
      'pando: no items: give them as ITEMS, with --arg-file FILE, or on standard input (a pipe, or --stdin to type them)',
      'pando: 0 items in 0:00 · 0.0 items/s · 0 retries · 0 failures',
    ])
    expect(run.code).toBe(0)
  })
})

describe('pando -0 / --null', () => {
  it('reads records that end at NUL (newlines and \\r kept) and writes each result followed by a NUL', async () => {
    const result = await runPando([ECHO, '--local', '-0'], { input: 'a\nb\0c\r\0\0last' })
    expect(result).toEqual({ stdout: '<a\nb>\0<c\r>\0<>\0<last>\0', stderr: '', code: 0, signal: null })
  })

  it('ends the results of ITEMS with NUL too', async () => {
    const result = await runPando([ECHO, '--local', '--null', 'x', 'y'])
    expect(result).toEqual({ stdout: '<x>\0<y>\0', stderr: '', code: 0, signal: null })
  })

  it('fails an item whose result holds a NUL, which would make two records', async () => {
    const args = ['test/cli/fixtures/nul-result.cjs', '--local', '-0']
    const [failed, marked] = await Promise.all([
      runPando(args, { input: 'a\0b\0' }),
      runPando([...args, '--on-error', 'mark', '--error-marker', 'BAD'], { input: 'a\0b\0' }),
    ])
    expect(failed).toEqual({
      stdout: '',
      stderr:
        'pando: the function failed on line 1 of standard input, "a" (1 attempt): ResultSeparatorError: the ' +
        'result contains a NUL character, which ends a record with --null\n',
      code: 1,
      signal: null,
    })
    expect(marked.stdout).toBe('BAD\0BAD\0')
    expect(marked.code).toBe(1)
  })

  it('is refused with --sync-stdio', async () => {
    expect(await runPando([ECHO, '--local', '-0', '--sync-stdio'])).toEqual({
      stdout: '',
      stderr:
        'pando: --null cannot be used with --sync-stdio, whose peer exchanges JSON values, not records\n',
      code: 2,
      signal: null,
    })
  })
})

describe('pando -a FILE / --arg-file FILE', () => {
  it('reads the items from FILE, NUL-separated with -0, and names a failed item by its line', async () => {
    const [lines, records, failed] = await Promise.all([
      runPando([ECHO, '--local', '-a', fileOf('1\n2\r\n\n3')]),
      runPando([ECHO, '--local', '-0', '--arg-file', fileOf('x\ny\0z\0')]),
      runPando(['examples/error.js', '--local', '-a', fileOf('5\n6\n7\n8\n')]),
    ])
    expect(lines).toEqual({
      stdout: '<1>\n<2>\n<>\n<3>\n',
      stderr: '',
      code: 0,
      signal: null,
    })
    expect(records.stdout).toBe('<x\ny>\0<z>\0')
    expect(failed).toEqual({
      stdout: '25\n36\n',
      stderr:
        'pando: the function failed on line 3 of the --arg-file, "7" (3 attempts): Error: 7 is a multiple of 7\n',
      code: 1,
      signal: null,
    })
  })

  it('reads standard input with -a -', async () => {
    const result = await runPando([ECHO, '--local', '-a', '-'], { input: 'p\nq\n' })
    expect(result).toEqual({ stdout: '<p>\n<q>\n', stderr: '', code: 0, signal: null })
  })

  it('refuses a missing file, a directory, and a second source of items, with status 2', async () => {
    const missing = join(tmpdir(), 'pando-habits-no-such-file')
    const file = fileOf('1\n')
    const [absent, directory, withItems, withStdin] = await Promise.all([
      runPando([ECHO, '--local', '-a', missing]),
      runPando([ECHO, '--local', '-a', tmpdir()]),
      runPando([ECHO, '--local', '-a', file, 'x']),
      runPando([ECHO, '--local', '-a', file, '--stdin']),
    ])
    expect(absent).toEqual({
      stdout: '',
      stderr: `pando: cannot read the --arg-file ${missing}: no such file\n`,
      code: 2,
      signal: null,
    })
    expect(directory.stderr).toBe(`pando: cannot read the --arg-file ${tmpdir()}: it is a directory\n`)
    expect(withItems.stderr).toBe(
      `pando: an item is given as arguments, but --arg-file reads the items from ${file}: drop the arguments or --arg-file\n`,
    )
    expect(withStdin).toEqual({
      stdout: '',
      stderr: `pando: --arg-file ${file} and --stdin both give the items: keep one (--arg-file - reads standard input)\n`,
      code: 2,
      signal: null,
    })
  })
})

describe('pando with a real volunteer tab', () => {
  it('reads a pipe, NUL records and tags them the same way when a headless tab computes', async () => {
    const result = await runPando(
      [ECHO, '-0', '--tag', '--volunteers', '1', '--port', '0', '--ice-addresses', 'loopback', '--quiet'],
      { input: 'a\nb\0c\0' },
    )
    expect(result.stdout).toBe('a\nb\t<a\nb>\0c\t<c>\0')
    expect(result.code).toBe(0)
  }, 180_000)
})

describe('pando --tag and --null with --journal', () => {
  it('refuses to resume a journal written with other records', async () => {
    const journal = join(mkdtempSync(join(tmpdir(), 'pando-habits-journal-')), 'run.journal')
    const first = await runPando([ECHO, '--local', '--tag', '--journal', journal], { input: 'a\n' })
    expect(first).toEqual({ stdout: 'a\t<a>\n', stderr: '', code: 0, signal: null })
    // Both refused before they touch the journal: they may run at once.
    const [untagged, resumed] = await Promise.all([
      runPando([ECHO, '--local', '--journal', journal, '--resume'], { input: 'a\n' }),
      runPando([ECHO, '--local', '--journal', journal, '--resume', '-0'], { input: 'a\0' }),
    ])
    expect(untagged).toEqual({
      stdout: '',
      stderr: `pando: the journal ${journal} records a run with --tag: resume with it too, or give another journal\n`,
      code: 2,
      signal: null,
    })
    expect(resumed.stderr).toBe(
      `pando: the journal ${journal} records a run without --null: resume without it too, or give another journal\n`,
    )
  })
})

describe('pando -j N / --jobs N', () => {
  it('computes 20 000 items in 3 worker threads, in input order', async () => {
    const result = await runPando(['examples/square-no-delay.js', '--local', '-j', '3'], {
      input: seqLines(0, 20_000),
    })
    expect(result).toEqual({ stdout: squares(0, 20_000), stderr: '', code: 0, signal: null })
  })

  it('spreads CPU-bound items over every thread, never the main one', async () => {
    const result = await runPando(['test/cli/fixtures/spin.cjs', '--local', '--jobs', '2'], {
      input: seqLines(0, 60),
    })
    const lines = result.stdout.split('\n').slice(0, -1)
    expect(lines.map((line) => line.split(' ')[0])).toEqual(seqLines(0, 60).split('\n').slice(0, -1))
    const threads = new Set(lines.map((line) => line.split(' ').slice(1).join(' ')))
    expect(threads.size).toBe(2)
    expect([...threads].every((thread) => /^thread \d+$/.test(thread))).toBe(true)
    expect(result.code).toBe(0)
  })

  it('runs the original form, ES modules, pando-computing, and fails an item as one thread does', async () => {
    const [original, modern, failed] = await Promise.all([
      runPando(['examples/report.js', '--local', '-j', '2', '12345', '999']),
      runPando(['examples/square-modern.mjs', '--local', '-j', 'auto', '2', '3']),
      runPando(['examples/error.js', '--local', '-j', '0', '5', '6', '7', '8']),
    ])
    expect(original.stdout).toBe('15\n27\n')
    expect(modern.stdout).toBe('4\n9\n')
    expect(failed).toEqual({
      stdout: '25\n36\n',
      stderr:
        'pando: the function failed on item 3 of the command line, "7" (3 attempts): Error: 7 is a multiple of 7\n',
      code: 1,
      signal: null,
    })
  })

  it('is refused without --local, and for a value that is not a count', async () => {
    expect(await runPando(['examples/square.js', '-j', '2', '1'])).toEqual({
      stdout: '',
      stderr:
        "pando: --jobs 2 sets how many items --local computes at once: add --local, or drop --jobs (volunteers' " +
        'tabs choose their own Workers; --workers N sets those of --volunteers tabs)\n',
      code: 2,
      signal: null,
    })
    expect((await runPando(['examples/square.js', '--local', '-j', '50%', '1'])).stderr).toBe(
      `pando: --jobs must be a whole number (0 for one per core) or auto, not "50%" (see 'pando --help')\n`,
    )
  })
})

describe('pando --tag', () => {
  it('writes each result after its item and a tab, marked failures too', async () => {
    expect(await runPando(['examples/square-no-delay.js', '--local', '--tag', '3', '4'])).toEqual({
      stdout: '3\t9\n4\t16\n',
      stderr: '',
      code: 0,
      signal: null,
    })
    const marked = await runPando(
      [
        'examples/error.js',
        '--local',
        '--tag',
        '--on-error',
        'mark',
        '--error-marker',
        'X',
        '--retries',
        '0',
      ],
      { input: '6\n7\n' },
    )
    expect(marked.stdout).toBe('6\t36\n7\tX\n')
  })
})

describe('pando --dry-run', () => {
  it('says what a networked run would do, opening no port even when it is taken, and writing no file', async () => {
    const taken = createServer()
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve))
    const port = (taken.address() as { port: number }).port
    const tmp = mkdtempSync(join(tmpdir(), 'pando-habits-tmp-'))
    try {
      const result = await runPando(
        ['examples/square.js', '--dry-run', '--port', String(port), '1', '2', '3'],
        {
          env: { TMPDIR: tmp },
        },
      )
      expect(result).toEqual({
        stdout:
          `module: ${ROOT}examples/square.js\n` +
          'items: 3 from the command line\n' +
          'records: end at newline\n' +
          'output: each result on standard output, in input order\n' +
          "computed: by volunteers' Web Workers\n" +
          `volunteers open: http://localhost:${port}/?token=<token>\n` +
          'transport: a WebRTC tree of degree 10, WebSocket when WebRTC fails\n',
        stderr: '',
        code: 0,
        signal: null,
      })
      expect(readdirSync(tmp)).toEqual([])
    } finally {
      taken.close()
    }
  })

  it('says what a local run would do, reading nothing', async () => {
    const result = await runPando(
      ['examples/square.js', '--dry-run', '--local', '-j', '4', '-0', '--tag', '--halt', 'soon,success=2'],
      { input: 'never read\0' },
    )
    expect(result).toEqual({
      stdout:
        `module: ${ROOT}examples/square.js\n` +
        'items: from standard input\n' +
        'records: end at NUL (--null)\n' +
        'output: each result after its item and a tab (--tag) on standard output, in input order, until --halt soon,success=2\n' +
        'computed: here (--local), 4 items at a time, in worker threads\n',
      stderr: '',
      code: 0,
      signal: null,
    })
  })

  it('refuses a missing module with status 2', async () => {
    const result = await runPando(['no-such-module.js', '--dry-run', '1'])
    expect(result.stderr).toMatch(/^pando: cannot find the module no-such-module\.js \(no file /)
    expect(result.code).toBe(2)
  })
})

describe('pando --halt', () => {
  const sevens = ['examples/error.js', '--local', '--retries', '0']

  it('soon,fail=2 with --on-error skip: stops reading at the 2nd failure, status 1', async () => {
    const result = await runPando([...sevens, '--on-error', 'skip', '--halt', 'soon,fail=2'], {
      input: seqLines(1, 100),
    })
    expect(result.stdout).toBe([1, 2, 3, 4, 5, 6, 8, 9, 10, 11, 12, 13].map((n) => `${n * n}\n`).join(''))
    expect(result.stderr).toBe(
      'pando: skipped: the function failed on line 7 of standard input, "7" (1 attempt): Error: 7 is a multiple of 7\n' +
        'pando: skipped: the function failed on line 14 of standard input, "14" (1 attempt): Error: 14 is a multiple of 7\n' +
        'pando: halted by --halt soon,fail=2: 2 items failed; the items already read were finished and written, and no new item was read\n',
    )
    expect(result.code).toBe(1)
  })

  it('now,fail=2 with --on-error mark: nothing after the 2nd failure', async () => {
    const result = await runPando(
      [...sevens, '--on-error', 'mark', '--error-marker', 'X', '--halt', 'now,fail=2'],
      {
        input: seqLines(1, 100),
      },
    )
    expect(result.stdout).toBe(`${squares(1, 7)}X\n${squares(8, 14)}X\n`)
    expect(result.stderr.split('\n').at(-2)).toBe(
      'pando: halted by --halt now,fail=2: 2 items failed; no result after the last of them was written',
    )
    expect(result.code).toBe(1)
  })

  it('soon,fail=N%: of all the ITEMS', async () => {
    const items = ['7', '1', '14', '2', '3', '4', '5', '6', '8', '9']
    const result = await runPando([...sevens, '--on-error', 'skip', '--halt', 'now,fail=20%', ...items])
    expect(result.stdout).toBe('1\n')
    expect(result.stderr.split('\n').at(-2)).toBe(
      'pando: halted by --halt now,fail=20%: 2 items failed (20% of 10); no result after the last of them was written',
    )
    expect(result.code).toBe(1)
  })

  it('now,success=3: status 0 when nothing failed; short forms as GNU parallel', async () => {
    expect(await runPando([...sevens, '--halt', 'now,success=3'], { input: seqLines(1, 100) })).toEqual({
      stdout: '1\n4\n9\n',
      stderr:
        'pando: halted by --halt now,success=3: 3 items succeeded; no result after the last of them was written\n',
      code: 0,
      signal: null,
    })
    // 2 is now,fail=1: the first failure stops the run, as --on-error abort does.
    const two = await runPando([...sevens, '--halt', '2'], { input: seqLines(1, 100) })
    expect(two.stdout).toBe(squares(1, 7))
    expect(two.code).toBe(1)
  })

  it('soon lets the items already started finish; now drops them', async () => {
    // 2x fails at once. The items given to the two Workers by then (their credit: about a dozen of these
    // async items) finish under soon, so 28 after it cannot all have started; under now, none finish.
    const after = Array.from({ length: 28 }, (_, i) => String(i + 3))
    const items = ['1', '2x', ...after]
    const args = ['test/cli/fixtures/slow-unless-x.cjs', '--local', '-j', '2', '--retries', '0', '--on-error']
    const soon = await runPando([...args, 'skip', '--halt', 'soon,fail=1', ...items])
    const now = await runPando([...args, 'skip', '--halt', 'now,fail=1', ...items])
    expect(now.stdout).toBe('<1>\n')
    const all = ['1', ...after].map((item) => `<${item}>\n`).join('')
    expect(soon.stdout.startsWith('<1>\n<3>\n')).toBe(true)
    expect(all.startsWith(soon.stdout)).toBe(true)
    expect(soon.stdout).not.toBe(all)
    expect([soon.code, now.code]).toEqual([1, 1])
  })

  it('refuses a malformed value, and a fail count that --on-error abort would never reach', async () => {
    expect(await runPando([...sevens, '--halt', 'soon,fial=3', '1'])).toEqual({
      stdout: '',
      stderr:
        'pando: --halt "soon,fial=3" is not a halt condition: write WHEN,WHY=N with WHEN soon or now and WHY ' +
        'fail, success or done, N a count of 1 or more or a percentage from 1% to 100% (e.g. --halt ' +
        "soon,fail=3 or --halt now,fail=10%), or never (see 'pando --help')\n",
      code: 2,
      signal: null,
    })
    const refused = await Promise.all(
      ['now,fail=0', 'soon,fail=101%', 'later,fail=1', 'now'].map((bad) =>
        runPando([...sevens, '--halt', bad, '1']),
      ),
    )
    expect(refused.map((result) => result.code)).toEqual([2, 2, 2, 2])
    expect((await runPando([...sevens, '--halt', 'soon,fail=3', '1'])).stderr).toBe(
      'pando: --halt soon,fail=3 counts failed items, but --on-error abort stops at the first one: add ' +
        '--on-error skip or --on-error mark\n',
    )
  })
})
