// Several Workers per tab and the volunteer's controls, end to end: the real `pando`, real Chromium tabs
// (opened by the test, or by `--volunteers`), the real page's controls. The module names the Worker that ran
// each item (test/e2e/fixtures/worker-id.cjs), so that the output shows which Workers computed.
import path from 'node:path'
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { PRINTED_URL, seqLines, type PandoRun } from '../../harness/pando-process.ts'
import { useVolunteerBrowser } from '../support/volunteer-rig.ts'

const WORKER_ID = path.join(import.meta.dirname, 'fixtures', 'worker-id.cjs')

/** One output line of worker-id.cjs: the item, the Worker's id, when the item started and ended. */
interface Ran {
  readonly item: string
  readonly worker: string
  readonly start: number
  readonly end: number
}

function parseOutput(stdout: string): Ran[] {
  return stdout
    .trimEnd()
    .split('\n')
    .map((line) => {
      const [item = '', worker = '', start = '', end = ''] = line.split(' ')
      return { item, worker, start: Number(start), end: Number(end) }
    })
}

/** Whether two items of different Workers ran at the same time. */
function overlapAcrossWorkers(ran: readonly Ran[]): boolean {
  return ran.some((a) => ran.some((b) => a.worker !== b.worker && a.start < b.end && b.start < a.end))
}

/** Writes 12 items and checks the run: exit 0, every item in order, computed by two Workers at once. */
async function expectTwoWorkersAtOnce(run: PandoRun): Promise<void> {
  run.child.stdin.end(seqLines(0, 12))
  const { code } = await run.exited
  expect(code).toBe(0)
  const ran = parseOutput(run.stdout())
  expect(ran.map((line) => line.item)).toEqual(seqLines(0, 12).trimEnd().split('\n'))
  expect(new Set(ran.map((line) => line.worker)).size).toBe(2)
  expect(overlapAcrossWorkers(ran)).toBe(true)
}

describe('Workers per tab, CPU use and pause', () => {
  const { browser, startPando } = useVolunteerBrowser({ checkCsp: true })

  const startRoot = async (args: string[]): Promise<{ run: PandoRun; url: string }> => {
    const run = startPando([WORKER_ID, '--stdin', '--port', '0', '--ice-addresses', 'loopback', ...args])
    const [url] = await run.waitForStderr(PRINTED_URL)
    return { run, url }
  }

  const joined = (tab: Page): Promise<unknown> =>
    tab.waitForFunction(() => Number(document.querySelector('#depth')?.textContent) >= 1, undefined, {
      timeout: 30_000,
    })

  /** Opens the run's dashboard beside the tabs and waits for its one volunteer's Workers column to read `text`. */
  const expectDashboardWorkers = async (url: string, text: string): Promise<void> => {
    const dashboard = await browser.context.newPage()
    const dashboardUrl = new URL('monitor/', url)
    dashboardUrl.search = new URL(url).search
    await dashboard.goto(dashboardUrl.href)
    await expect
      .poll(() => dashboard.textContent('#volunteers-table tbody tr [data-column="workers"]'), {
        timeout: 15_000,
      })
      .toBe(text)
  }

  it('runs the items of one tab with #workers=2 on two Workers at once, and the dashboard shows 2', async () => {
    const { run, url } = await startRoot(['--reporting-interval', '1'])
    const tab = await browser.open(`${url}#device=Two;workers=2;`)
    await joined(tab)
    expect(await tab.inputValue('#workers')).toBe('2')
    await expectDashboardWorkers(url, '2')
    await expectTwoWorkersAtOnce(run)
  })

  it('opens --volunteers tabs with --workers N Workers each', async () => {
    const { run } = await startRoot(['--volunteers', '1', '--workers', '2'])
    await expectTwoWorkersAtOnce(run)
  })

  it('with a CPU use of 50 % rests each Worker as long as it computed, and tells the root', async () => {
    const { run, url } = await startRoot(['--reporting-interval', '1'])
    const tab = await browser.open(`${url}#device=Half;workers=1;`)
    await joined(tab)
    await tab.selectOption('#cpu-limit', '50')
    await expectDashboardWorkers(url, '1 at 50%')
    run.child.stdin.end(seqLines(0, 8))
    const { code } = await run.exited
    expect(code).toBe(0)
    expect(parseOutput(run.stdout()).map((line) => line.item)).toEqual(seqLines(0, 8).trimEnd().split('\n'))
    // The tab's own measure of its duty cycle: about as long resting as computing (a late rest timer only
    // lowers the share; the end of the run may cut the last rest short, which raises it a little), within
    // the band of 40–60 %, far from the 100 % of a tab that does not rest; and it did compute.
    await expect
      .poll(async () => Number.parseFloat((await tab.textContent('#duty-cycle')) ?? ''))
      .toBeLessThanOrEqual(60)
    expect(Number.parseFloat((await tab.textContent('#duty-cycle')) ?? '')).toBeGreaterThan(0)
  })

  it('starts no item while paused by its button, and finishes the run once resumed', async () => {
    const { run, url } = await startRoot([])
    const tab = await browser.open(`${url}#device=Pausing;workers=1;`)
    await joined(tab)
    await tab.click('#pause')
    expect(await tab.textContent('#pause')).toBe('Resume')
    expect(await tab.getAttribute('#pause', 'data-paused')).toBe('true')
    run.child.stdin.end(seqLines(0, 6))
    // The paused tab keeps its place in the tree but offers no Worker: it is lent nothing, and starts nothing.
    await new Promise((resolve) => setTimeout(resolve, 3_000))
    expect(await tab.textContent('#processed')).toBe('0')
    expect(run.stdout()).toBe('')
    expect(run.child.exitCode).toBeNull()
    await tab.click('#pause')
    expect(await tab.textContent('#pause')).toBe('Pause')
    const { code } = await run.exited
    expect(code).toBe(0)
    expect(parseOutput(run.stdout()).map((line) => line.item)).toEqual(seqLines(0, 6).trimEnd().split('\n'))
    await expect.poll(() => tab.textContent('#processed')).toBe('6')
  })
})
