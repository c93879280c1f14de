import { mkdtempSync, readFileSync, truncateSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { countLines, journaledPositions, runWithFiles } from '../support/crash-runs.ts'
import { runPando, seqLines } from '../../harness/pando-process.ts'

const MODULE = 'test/cli/fixtures/counted.cjs'
/** What counted.cjs gives for an item. */
const counted = (n: number): string => `${n}:${'é'.repeat(n % 5)}${'ab'.repeat(n % 13)}`
const ITEMS = 1500
/** Rounds of the random-crash test: each kills a run and then its resume at random points, and resumes. */
const CRASH_ROUNDS = 4

/** The positions (0-based) of the items counted.cjs computed, in the order it started them. */
const computedItems = (countFile: string): number[] =>
  readFileSync(countFile, 'utf8')
    .split('\n')
    .slice(0, -1)
    .map((line) => Number(line) - 1)

const range = (from: number, to: number): number[] => Array.from({ length: to - from }, (_, i) => from + i)

function scratch(): { dir: string; input: string; output: string; journal: string; countFile: string } {
  const dir = mkdtempSync(join(tmpdir(), 'pando-journal-'))
  const input = join(dir, 'in')
  writeFileSync(input, seqLines(1, ITEMS + 1))
  return { dir, input, output: join(dir, 'out'), journal: join(dir, 'j'), countFile: join(dir, 'count') }
}

describe('pando --journal --resume (--local)', () => {
  it('killed with SIGKILL at random points, resumed: the output is exact, and only items in flight run twice', async () => {
    const expected = seqLines(1, ITEMS + 1, counted)
    const inFlights: number[] = []
    /** Items the journal gained during the killed sessions: it records as the run goes, not at its end. */
    let gainedBeforeKills = 0
    for (let round = 0; round < CRASH_ROUNDS; round++) {
      const files = scratch()
      const args = [MODULE, '--local', '--stdin', '--journal', files.journal]
      /** Computations noted so far (lines of the count file), and items journaled (a prefix of the input). */
      let computed = 0
      let journaled = 0
      let computedTwice = 0
      // Two crashes, at random points, then a resume to the end.
      for (const resume of [false, true]) {
        const killAfter = computed + 1 + Math.floor(Math.random() * (ITEMS - computed - 1) * 0.6)
        const killed = await runWithFiles(resume ? [...args, '--resume'] : args, { ...files, killAfter })
        expect(killed.signal, killed.stderr).toBe('SIGKILL')
        const session = computedItems(files.countFile).slice(computed)
        const positions = journaledPositions(files.journal)
        // The journal holds a prefix of the input, each item once (outcomes are recorded in input order); the
        // session computed each item at most once, none the journal held when it started, and every one the
        // journal gained.
        expect(positions).toEqual(range(0, positions.length))
        expect(new Set(session).size).toBe(session.length)
        expect(session.filter((n) => n < journaled)).toEqual([])
        expect(session.slice(0, positions.length - journaled)).toEqual(range(journaled, positions.length))
        // In flight: computed (the count is written first) but not in the journal when it was killed: the
        // items the Workers held (their credit), and those settled while the last records were being written
        // (off the main thread: the output waits for the journal, the computing does not). How many depends on
        // the machine's speed and load (1 to 133 on a quiet machine, 437 once beside other test files): a
        // figure, printed below, not a bound.
        const inFlight = session.filter((n) => n >= positions.length).length
        inFlights.push(inFlight)
        gainedBeforeKills += positions.length - journaled
        computedTwice += inFlight
        computed += session.length
        journaled = positions.length
      }
      const last = await runWithFiles([...args, '--resume'], files)
      expect(last).toEqual({ code: 0, signal: null, stderr: expect.any(String) as string })
      expect(readFileSync(files.output, 'utf8')).toBe(expected)
      // The last session computed exactly what the journal lacked: each item ran once, and again only if it
      // was in flight at a kill.
      expect(computedItems(files.countFile).slice(computed)).toEqual(range(journaled, ITEMS))
      expect(countLines(files.countFile)).toBe(ITEMS + computedTwice)
    }
    console.log(`items in flight at each kill: ${inFlights.join(', ')}`)
    // A journal written only at the end would have gained nothing before any of the 8 kills.
    expect(gainedBeforeKills).toBeGreaterThan(0)
    // 12 runs of pando (18 with 6 rounds took 51-54 s at a load of 17-20 on 2 cores, close to the default 60 s).
  }, 240_000)

  it('a resume of a finished run computes nothing and writes nothing', async () => {
    const files = scratch()
    const args = [MODULE, '--local', '--stdin', '--journal', files.journal]
    expect((await runWithFiles(args, files)).code).toBe(0)
    expect(await runWithFiles([...args, '--resume'], files)).toEqual({ code: 0, signal: null, stderr: '' })
    expect(readFileSync(files.output, 'utf8')).toBe(seqLines(1, ITEMS + 1, counted))
    expect(countLines(files.countFile)).toBe(ITEMS)
  })

  it('to a pipe: a resume writes what the journal does not record as written', async () => {
    const files = scratch()
    const input = seqLines(1, 11)
    const args = [MODULE, '--local', '--stdin', '--journal', files.journal]
    const env = { PANDO_TEST_COUNT: files.countFile }
    expect((await runPando(args, { input, env })).stdout).toBe(seqLines(1, 11, counted))
    expect(await runPando([...args, '--resume'], { input, env })).toEqual({
      stdout: '',
      stderr: '',
      code: 0,
      signal: null,
    })
    // Cut inside the first record after the header and the first session, as a crash could: what it and
    // the records after it said is lost, so every item is computed and written again (a pipe may repeat).
    const [header = '', session = '', next = ''] = readFileSync(files.journal, 'utf8').split('\n')
    truncateSync(files.journal, Buffer.byteLength(`${header}\n${session}\n${next.slice(0, 20)}`))
    const again = await runPando([...args, '--resume'], { input: seqLines(1, 13), env })
    expect(again.stdout).toBe(seqLines(1, 13, counted))
    expect(again.stderr).toBe(
      `pando: the journal ${files.journal} ended with a torn record (written as the run stopped): dropped\n`,
    )
    expect(countLines(files.countFile)).toBe(10 + 12)
  })

  it('--resume-failed computes again only the items that had failed', async () => {
    const files = scratch()
    const input = '1\nfail-once\n3\n'
    const args = [
      MODULE,
      '--local',
      '--stdin',
      '--retries',
      '0',
      '--on-error',
      'mark',
      '--journal',
      files.journal,
    ]
    const env = { PANDO_TEST_COUNT: files.countFile }
    const first = await runPando(args, { input, env })
    expect(first.stdout).toBe(`${counted(1)}\n\n${counted(3)}\n`)
    expect((await runPando([...args, '--resume'], { input, env })).stdout).toBe('')
    expect(countLines(files.countFile)).toBe(3)
    const retried = await runPando([...args, '--resume-failed'], { input, env })
    expect(retried.stdout).toBe('')
    expect(readFileSync(files.countFile, 'utf8')).toBe('1\nfail-once\n3\nfail-once\n')
  })
})

describe('pando --journal: journals it refuses', () => {
  const env = (files: { countFile: string }) => ({ PANDO_TEST_COUNT: files.countFile })

  it('refuses to start over an existing journal without --resume', async () => {
    const files = scratch()
    writeFileSync(files.journal, 'x')
    expect(await runPando([MODULE, '--local', '1', '--journal', files.journal], { env: env(files) })).toEqual(
      {
        stdout: '',
        stderr:
          `pando: the journal ${files.journal} already exists: add --resume to go on with its run, or remove it ` +
          '(or give another file) to start afresh\n',
        code: 2,
        signal: null,
      },
    )
  })

  it('refuses a file that is not a journal, and a corrupt journal', async () => {
    const files = scratch()
    writeFileSync(files.journal, 'hello\n')
    const args = [MODULE, '--local', '1', '2', '--journal', files.journal, '--resume']
    expect(await runPando(args, { env: env(files) })).toEqual({
      stdout: '',
      stderr:
        `pando: ${files.journal} is not a pando journal (it does not start with a journal header): give the ` +
        'journal of the run to resume, or a new file\n',
      code: 2,
      signal: null,
    })
    writeFileSync(files.journal, '')
    expect(
      (await runPando([MODULE, '--local', '1', '2', '--journal', files.journal], { env: env(files) })).code,
    ).toBe(0)
    const lines = readFileSync(files.journal, 'utf8').split('\n')
    lines[2] = (lines[2] ?? '').replace('"1:é', '"1:e')
    writeFileSync(files.journal, lines.join('\n'))
    expect(await runPando(args, { env: env(files) })).toEqual({
      stdout: '',
      stderr:
        `pando: the journal ${files.journal} is corrupt: record 3 fails its checksum, yet records follow it: it ` +
        'cannot be resumed; start afresh with a new journal\n',
      code: 2,
      signal: null,
    })
  })

  it('refuses the journal of another module, of other options, of another input', async () => {
    const files = scratch()
    const args = ['--local', '--stdin', '--journal', files.journal]
    await runPando([MODULE, ...args], { input: '1\n2\n', env: env(files) })
    const other = await runPando(['test/cli/fixtures/counted-other.cjs', ...args, '--resume'], {
      input: '1\n2\n',
    })
    expect(other.code).toBe(2)
    expect(other.stderr).toMatch(
      new RegExp(
        `^pando: the journal ${files.journal} records a run of another module \\(the source with SHA-256 ` +
          '[0-9a-f]{12}…, this one is the source with [0-9a-f]{12}…\\): resume with the same module and the ' +
          'same --local, or give another journal\n$',
      ),
    )
    expect(
      await runPando([MODULE, ...args, '--resume', '--on-error', 'skip'], {
        input: '1\n2\n',
        env: env(files),
      }),
    ).toEqual({
      stdout: '',
      stderr:
        `pando: the journal ${files.journal} records a run with --on-error "abort", not "skip": resume with the ` +
        'same options, or give another journal\n',
      code: 2,
      signal: null,
    })
    expect(await runPando([MODULE, ...args, '--resume'], { input: '1\n3\n', env: env(files) })).toEqual({
      stdout: '',
      stderr:
        `pando: line 2 of standard input is not the one the journal ${files.journal} recorded there: resume ` +
        'with the same input, or give another journal\n',
      code: 2,
      signal: null,
    })
    expect(countLines(files.countFile)).toBe(2)
  })
})

describe('pando --joblog and --cache', () => {
  it("--joblog writes GNU parallel's columns, a line per item", async () => {
    const files = scratch()
    const joblog = join(files.dir, 'joblog')
    const result = await runPando(
      [MODULE, '--local', '--retries', '0', '--on-error', 'skip', '--joblog', joblog, '7', 'fail-x'],
      {
        env: { PANDO_TEST_COUNT: files.countFile },
      },
    )
    expect(result.stdout).toBe(`${counted(7)}\n`)
    const [header, ...lines] = readFileSync(joblog, 'utf8').split('\n')
    expect(header).toBe('Seq\tHost\tStarttime\tJobRuntime\tSend\tReceive\tExitval\tSignal\tCommand')
    expect(lines.map((line) => line.split('\t'))).toEqual([
      [
        '1',
        'local',
        expect.stringMatching(/^ *\d{10}\.\d{3}$/),
        expect.stringMatching(/^ *\d+\.\d{3}$/),
        '2',
        String(Buffer.byteLength(counted(7)) + 1),
        '0',
        '0',
        '7',
      ],
      [
        '2',
        'local',
        expect.stringMatching(/^ *\d{10}\.\d{3}$/),
        expect.stringMatching(/^ *\d+\.\d{3}$/),
        '7',
        '0',
        '1',
        '0',
        'fail-x',
      ],
      [''],
    ])
  })

  it('--cache reuses the results of the same module on the same items', async () => {
    const files = scratch()
    const cache = join(files.dir, 'cache')
    const env = { PANDO_TEST_COUNT: files.countFile }
    const first = await runPando([MODULE, '--local', '--cache', cache, '1', '2', '3'], { env })
    expect(first.stdout).toBe(seqLines(1, 4, counted))
    const second = await runPando([MODULE, '--local', '--cache', cache, '3', '4', '1'], { env })
    expect(second.stdout).toBe([3, 4, 1].map((n) => `${counted(n)}\n`).join(''))
    expect(readFileSync(files.countFile, 'utf8')).toBe('1\n2\n3\n4\n')
    // Another module does not see them.
    const other = await runPando(['test/cli/fixtures/counted-other.cjs', '--local', '--cache', cache, '1'])
    expect(other.stdout).toBe('1\n')
  })
})
