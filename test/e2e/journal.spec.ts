// `--journal` and `--resume` with a real Chromium tab (issue 17's "Done when"): the root is killed with SIGKILL
// at random points of its output and resumed; the output is exact, and the items computed twice are exactly
// those the tab was lent and the journal did not yet hold at the kill, bounded by what was in flight.
//
// The page's CSP lets no module report its computations to the test, so an init script
// (../support/work-recorder.ts) notes, in the tab, the ids of the `jobs` messages its WebSocket receives and
// of the `outcomes` it sends: what each session lent the tab, and what the tab answered.
// Nothing of the product is replaced.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { journaledPositions, runWithFiles, type FileRunResult } from '../support/crash-runs.ts'
import { PRINTED_URL, seqLines } from '../../harness/pando-process.ts'
import { launchVolunteerBrowser, type VolunteerBrowser } from '../../harness/volunteer-browser.ts'
import { notedWork, recordWork } from '../support/work-recorder.ts'

const MODULE = 'test/e2e/fixtures/varied-2ms.cjs'
const varied = (n: number): string => `${n}:${'é'.repeat(n % 5)}${'ab'.repeat(n % 13)}`
const ITEMS = 1000
/** What a tab of one Worker may hold with `--batch-size 4`: two batches, one computing, one travelling. */
const CREDIT = 8
/**
 * The most items whose outcome the tab had sent but the journal did not hold at the kill: the root writes
 * the journal before each write to stdout and every 200 ms, so these are the outcomes of the last messages
 * (a few batches of 4; tens under load), never a run's worth.
 */
const ANSWERED_NOT_JOURNALED_BOUND = 200

/** What the tab of one session was lent and answered, by position. */
interface TabWork {
  readonly lent: number[]
  readonly answered: number[]
}

const noted = async (tab: Page): Promise<TabWork> => ({
  lent: (await notedWork(tab, 'jobs')).flatMap((message) => message.ids),
  answered: (await notedWork(tab, 'outcomes')).flatMap((message) => message.ids),
})

const range = (from: number, to: number): number[] => Array.from({ length: to - from }, (_, i) => from + i)
const sorted = (values: Iterable<number>): number[] => [...values].sort((a, b) => a - b)

describe('pando --journal --resume with a real tab', () => {
  let browser: VolunteerBrowser

  beforeAll(async () => {
    browser = await launchVolunteerBrowser()
    await browser.context.addInitScript(recordWork)
  })
  afterAll(async () => {
    await browser.close()
  })

  /**
   * Runs one session of `pando ARGS < input >> output` with a fresh tab (one Worker, over the WebSocket), killed
   * at `killAtBytes` of output if given; returns how it ended and what its tab was lent and answered.
   */
  async function session(
    args: readonly string[],
    files: { input: string; output: string; countFile: string },
    killAtBytes: number | undefined,
  ): Promise<{ ended: FileRunResult; work: TabWork }> {
    let printed: (url: string) => void = () => undefined
    const url = new Promise<string>((resolve) => (printed = resolve))
    const ended = runWithFiles(args, {
      ...files,
      ...(killAtBytes === undefined ? {} : { killAtBytes }),
      timeoutMs: 240_000,
      onStderr: (stderr) => {
        const match = PRINTED_URL.exec(stderr)
        if (match !== null) printed(match[0])
      },
    })
    const tab = await browser.open(
      `${await Promise.race([url, ended.then(() => '')])}#protocol=websocket;workers=1`,
    )
    try {
      const result = await ended
      return { ended: result, work: await noted(tab) }
    } finally {
      await tab.close()
    }
  }

  it('killed with SIGKILL at random points, resumed: the output is exact, only the items in flight computed twice', async () => {
    const expected = seqLines(1, ITEMS + 1, varied)
    const total = Buffer.byteLength(expected)
    const inFlight: string[] = []
    for (let round = 0; round < 2; round++) {
      const dir = mkdtempSync(join(tmpdir(), 'pando-journal-e2e-'))
      const files = { input: join(dir, 'in'), output: join(dir, 'out'), countFile: join(dir, 'count') }
      writeFileSync(files.input, seqLines(1, ITEMS + 1))
      const journal = join(dir, 'j')
      const args = [MODULE, '--stdin', '--port', '0', '--batch-size', '4', '--journal', journal]
      let written = 0
      /** The journal holds the first `journaled` items: the root records outcomes in input order. */
      let journaled = 0
      let lentInAll = 0
      let computedTwice = 0
      for (const resume of [false, true]) {
        const killAtBytes = written + 1 + Math.floor(Math.random() * (total - written) * 0.5)
        const { ended, work } = await session(resume ? [...args, '--resume'] : args, files, killAtBytes)
        expect(ended.signal, ended.stderr).toBe('SIGKILL')
        written = readFileSync(files.output).length
        const positions = journaledPositions(journal)
        // The journal is a prefix of the input, each item once; this session lent each item at most once,
        // none that the journal held when it started, and computed every item the journal gained.
        expect(positions).toEqual(range(0, positions.length))
        expect(new Set(work.lent).size).toBe(work.lent.length)
        expect(work.lent.filter((n) => n < journaled)).toEqual([])
        expect(sorted(work.lent).slice(0, positions.length - journaled)).toEqual(
          range(journaled, positions.length),
        )
        // Computed, or lent to be, and lost with the root: the items the tab held (within its credit), and
        // those it had answered that the journal did not hold yet.
        const lost = work.lent.filter((n) => n >= positions.length)
        const held = lost.filter((n) => !work.answered.includes(n))
        expect(held.length).toBeLessThanOrEqual(CREDIT)
        expect(lost.length - held.length).toBeLessThanOrEqual(ANSWERED_NOT_JOURNALED_BOUND)
        inFlight.push(`${held.length} held + ${lost.length - held.length} answered`)
        lentInAll += work.lent.length
        computedTwice += lost.length
        journaled = positions.length
      }
      const { ended, work } = await session([...args, '--resume'], files, undefined)
      expect(ended.code, ended.stderr).toBe(0)
      expect(readFileSync(files.output, 'utf8')).toBe(expected)
      // The last session was lent exactly what the journal lacked; over the three, each item was lent once,
      // and again only if it was in flight at a kill.
      expect(sorted(work.lent)).toEqual(range(journaled, ITEMS))
      expect(journaledPositions(journal)).toEqual(range(0, ITEMS))
      expect(lentInAll + work.lent.length).toBe(ITEMS + computedTwice)
    }
    console.log(`items lost in flight at each kill: ${inFlight.join(', ')}`)
  }, 900_000)
})
