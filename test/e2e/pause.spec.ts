// A volunteer pauses a tab mid-run (issue 13 §3), through the real `pando` and real Chromium tabs, over the
// WebSocket and in the WebRTC tree (degree 1, so that the paused tab has a child). The paused tab gives back
// what it holds unstarted, at once; the others compute it; it starts nothing while paused, keeps its place
// in the tree and relays for its child; resumed, it works again; the output is exact.
//
// The module (fixtures/busy-tagged.cjs) keeps a Worker busy 300 ms per item and names the Worker and the
// time each item started, so the output says who ran what, and when. An init script
// (../support/work-recorder.ts) notes, in each page, the `return` messages it sends (on its WebSocket or its data channels) and when: the
// measure of how soon a paused tab's items are taken back. Nothing of the product is replaced.
import path from 'node:path'
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { PRINTED_URL, seqLines, type PandoRun } from '../../harness/pando-process.ts'
import { useVolunteerBrowser } from '../support/volunteer-rig.ts'
import { notedWork, recordWork, type NotedWork } from '../support/work-recorder.ts'

const BUSY_TAGGED = path.join(import.meta.dirname, 'fixtures', 'busy-tagged.cjs')
const HEARTBEAT_MS = 2_000
/** `--batch-size`. */
const BATCH = 4
/** What a tab of one Worker may hold with `--batch-size 4`: two batches (a batch it runs when paused, at most). */
const CREDIT = 2 * BATCH
/** How soon a job that reaches a paused tab goes back: at once (the same turn), asserted generously. */
const RETURNED_WITHIN_MS = 1_000
/**
 * Items given ahead of the output before each try at pausing a tab (300 ms each, on two tabs of one Worker):
 * enough that the tabs' credit is full and the root still has more to lend (so a tab holds some unstarted,
 * rather than handing all it has to its child), few enough that the other tab soon finishes them once one
 * is paused.
 */
const AHEAD = 32
/** Items after the pause is lifted. */
const SECOND = 16
/**
 * How soon after the pause every item the paused tab gave back must have started on another tab: generous
 * (a busy machine, another tab finishing its own batch first); the figures measured are printed.
 */
const STARTED_ELSEWHERE_WITHIN_MS = 20_000

interface Ran {
  readonly item: number
  readonly worker: string
  readonly start: number
}

const parseOutput = (stdout: string): Ran[] =>
  stdout
    .trimEnd()
    .split('\n')
    .map((line) => {
      const [item = '', worker = '', start = ''] = line.split(' ')
      return { item: Number(item), worker, start: Number(start) }
    })

const processed = async (tab: Page): Promise<number> => Number(await tab.textContent('#processed'))

/** The ids the module's Workers in `tab` took (`self.taggedWorkerId`), once they loaded it. */
async function workerIds(tab: Page): Promise<string[]> {
  const ids = await Promise.all(
    tab
      .workers()
      .map((worker) =>
        worker.evaluate(() => (self as { taggedWorkerId?: string }).taggedWorkerId).catch(() => undefined),
      ),
  )
  return ids.filter((id): id is string => id !== undefined)
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

/** Clicks the tab's Pause / Resume button from within the page, and returns when (the page's clock). */
const clickPause = (tab: Page): Promise<number> =>
  tab.evaluate(() => {
    const at = Date.now()
    document.querySelector<HTMLButtonElement>('#pause')?.click()
    return at
  })

/**
 * Pauses `tab` at a moment it holds items unstarted: the pause gives them back, in one `return`, at once. A
 * tab of one Worker holds none for a moment after its Worker took its whole queue as a batch, and in the tree
 * what it holds may all go to its child: then the pause gives nothing back up, and it is resumed and paused
 * again once it has run a batch since (so its lender was lent to again: the root hears of its Workers from
 * its next status report, not at once). Before each try, `topUp` gives the run more items, so it has some to
 * lend.
 */
async function pauseHolding(tab: Page, topUp: () => void): Promise<{ pausedAt: number; first: NotedWork }> {
  for (let attempt = 0; attempt < 8; attempt++) {
    if (attempt > 0) {
      const before = await processed(tab)
      await expect.poll(() => processed(tab), { timeout: 60_000 }).toBeGreaterThanOrEqual(before + BATCH)
    }
    topUp()
    const pausedAt = await clickPause(tab)
    expect(await tab.getAttribute('#pause', 'data-paused')).toBe('true')
    await sleep(1_000)
    // An empty `return` answers a recall (the root asks a tab for what it holds when another has nothing
    // to do): it is not what the pause gave back.
    const first = (await notedWork(tab, 'return')).find(
      (entry) => entry.at >= pausedAt && entry.ids.length > 0,
    )
    if (first !== undefined) {
      expect(first.at - pausedAt).toBeLessThan(RETURNED_WITHIN_MS)
      return { pausedAt, first }
    }
    await clickPause(tab)
  }
  throw new Error('the tab never held an item unstarted when paused')
}

describe('pausing a tab mid-run', () => {
  const { browser, startPando } = useVolunteerBrowser({
    setUp: (launched) => launched.context.addInitScript(recordWork),
  })
  let run: PandoRun | undefined

  /**
   * Runs items on tabs A and B (AHEAD of the output before each try at the pause), pauses A once it has
   * computed some, lets B (and A's subtree) finish them, resumes A for SECOND more; checks the output and
   * what A did, and returns the figures.
   */
  async function pauseMidRun(
    args: readonly string[],
    hash: string,
    joinedA: (tab: Page) => Promise<unknown>,
    joinedB: (tab: Page) => Promise<unknown>,
    /** Checks made once the first items are out, A still paused. */
    whilePaused: (a: Page, b: Page) => Promise<void> = async () => undefined,
  ): Promise<{ a: Page; b: Page; returned: number[]; startedElsewhereMs: number; returnedMs: number }> {
    run = startPando([BUSY_TAGGED, '--stdin', '--port', '0', '--batch-size', String(BATCH), ...args])
    const [url] = await run.waitForStderr(PRINTED_URL)
    const a = await browser.open(`${url}#device=A;workers=1;${hash}`)
    await joinedA(a)
    const b = await browser.open(`${url}#device=B;workers=1;${hash}`)
    await joinedB(b)
    const current = run
    let given = 0
    const topUp = (): void => {
      const ahead = current.stdout().split('\n').length - 1 + AHEAD
      if (ahead > given) current.child.stdin.write(seqLines(given, ahead))
      given = Math.max(given, ahead)
    }
    topUp()
    await expect.poll(() => processed(a), { timeout: 60_000 }).toBeGreaterThanOrEqual(4)
    const aWorkers = await workerIds(a)
    expect(aWorkers.length).toBeGreaterThan(0)

    const { pausedAt, first } = await pauseHolding(a, topUp)
    const returns = async (): Promise<NotedWork[]> =>
      (await notedWork(a, 'return')).filter((entry) => entry.at >= pausedAt)
    const returned = first.ids
    await run.waitForLines(given, 120_000)
    await whilePaused(a, b)
    const resumedAt = await clickPause(a)
    expect(await a.getAttribute('#pause', 'data-paused')).toBe('false')
    run.child.stdin.end(seqLines(given, given + SECOND))
    const { code } = await run.exited
    expect(code).toBe(0)

    // Jobs lent to it before the root heard of the pause (over the WebSocket) went straight back.
    const returnedAll = await returns()
    const lentWhilePaused = (await notedWork(a, 'jobs')).filter(
      (entry) => entry.at >= pausedAt && entry.at < resumedAt,
    )
    for (const entry of lentWhilePaused) {
      for (const id of entry.ids) {
        const back = returnedAll.find((r) => r.ids.includes(id) && r.at >= entry.at)
        expect(back, `job ${String(id)} lent to the paused tab`).toBeDefined()
        expect((back?.at ?? Infinity) - entry.at).toBeLessThan(RETURNED_WITHIN_MS)
      }
    }

    const ran = parseOutput(run.stdout())
    expect(ran.map((line) => line.item)).toEqual(
      seqLines(0, given + SECOND)
        .trimEnd()
        .split('\n')
        .map(Number),
    )
    const onA = (line: Ran): boolean => aWorkers.includes(line.worker)
    // While paused, A started no batch.
    const startedOnAWhilePaused = ran.filter(
      (line) => onA(line) && line.start > pausedAt && line.start < resumedAt,
    )
    // Its Worker only finished the batch it ran when the pause came (its items run one after another), and
    // nothing it gave back.
    expect(startedOnAWhilePaused.length).toBeLessThanOrEqual(CREDIT)
    expect(startedOnAWhilePaused.filter((line) => returned.includes(line.item))).toEqual([])
    // What it gave back was computed elsewhere, soon.
    const elsewhere = ran.filter((line) => returned.includes(line.item))
    expect(elsewhere.every((line) => !onA(line) || line.start > resumedAt)).toBe(true)
    const startedElsewhereMs = Math.max(...elsewhere.map((line) => line.start)) - pausedAt
    expect(startedElsewhereMs).toBeLessThan(STARTED_ELSEWHERE_WITHIN_MS)
    // Resumed, it works again.
    expect(ran.some((line) => onA(line) && line.start > resumedAt)).toBe(true)
    return { a, b, returned, startedElsewhereMs, returnedMs: (first?.at ?? 0) - pausedAt }
  }

  it('over the WebSocket: gives back what it holds unstarted, the other tab computes it, and it works again once resumed', async () => {
    const joined = (tab: Page): Promise<unknown> =>
      tab.waitForFunction(
        () =>
          document.querySelector('#transport')?.textContent === 'WebSocket' &&
          document.querySelector('#depth')?.textContent === '1',
        undefined,
        { timeout: 30_000 },
      )
    const figures = await pauseMidRun(
      ['--heartbeat', String(HEARTBEAT_MS)],
      'protocol=websocket;',
      joined,
      joined,
    )
    console.log(
      `pause over the WebSocket: returned ${String(figures.returned.length)} items ${String(figures.returnedMs)} ms after the click; all started on the other tab within ${String(figures.startedElsewhereMs)} ms (heartbeat ${String(HEARTBEAT_MS)} ms)`,
    )
  }, 240_000)

  it('in the WebRTC tree: keeps its place and relays for its child, which computes what it gave back', async () => {
    const depth = (tab: Page): Promise<string | null> => tab.textContent('#depth')
    const atDepth =
      (wanted: number) =>
      (tab: Page): Promise<unknown> =>
        tab.waitForFunction((d) => document.querySelector('#depth')?.textContent === String(d), wanted, {
          timeout: 30_000,
        })
    const figures = await pauseMidRun(
      ['--degree', '1', '--ice-addresses', 'loopback', '--heartbeat', String(HEARTBEAT_MS)],
      '',
      atDepth(1),
      atDepth(2),
      // A kept its place (depth 1, its child under it) and B stayed its child, working through it.
      async (a, b) => {
        expect(await depth(a)).toBe('1')
        expect(await a.textContent('#children')).toBe('1')
        expect(await depth(b)).toBe('2')
      },
    )
    console.log(
      `pause in the tree: returned ${String(figures.returned.length)} items ${String(figures.returnedMs)} ms after the click; all started on its child within ${String(figures.startedElsewhereMs)} ms (heartbeat ${String(HEARTBEAT_MS)} ms)`,
    )
  }, 240_000)
})
