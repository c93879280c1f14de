import path from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seqLines, startPando, PRINTED_URL } from '../../harness/pando-process.ts'
import { launchVolunteerBrowser, type VolunteerBrowser } from '../../harness/volunteer-browser.ts'

const URL_PATTERN = PRINTED_URL
const TABS = 15

interface TabState {
  readonly page: Page
  readonly id: string
  readonly parent: string
  readonly depth: number
  readonly children: number
  readonly processed: number
  readonly transport: string
}

async function stateOf(page: Page): Promise<TabState> {
  const text = async (selector: string): Promise<string> => (await page.textContent(selector))?.trim() ?? ''
  return {
    page,
    id: await text('#volunteer-id'),
    parent: await text('#parent-id'),
    depth: Number(await text('#depth')),
    children: Number(await text('#children')),
    processed: Number(await text('#processed')),
    transport: await text('#transport'),
  }
}

/**
 * Resolves with every page's state once all of them show a depth at the same time: they have joined the
 * tree. A tab may rejoin while others still join (its depth reads "–" meanwhile), so the states are read
 * again until one reading finds every tab in place.
 */
async function allJoined(pages: readonly Page[]): Promise<TabState[]> {
  let states: TabState[] = []
  await expect
    .poll(
      async () => {
        states = await Promise.all(pages.map(stateOf))
        return states.every((tab) => tab.depth >= 1)
      },
      { timeout: 60_000, interval: 250 },
    )
    .toBe(true)
  return states
}

describe('the WebRTC tree, through the real CLI', () => {
  let browser: VolunteerBrowser

  beforeAll(async () => {
    browser = await launchVolunteerBrowser()
  })
  afterAll(async () => {
    await browser.close()
  })

  it('spreads 1,000 items over 15 tabs at degree 2, and survives the loss of an interior tab', async () => {
    const run = startPando([
      path.join('examples', 'square-delay.js'),
      '--stdin',
      '--port',
      '0',
      '--degree',
      '2',
      '--batch-size',
      '2',
      '--ice-addresses',
      'loopback',
      // The defaults of --heartbeat (2 s) and --bootstrap-timeout (10 s): 15 tabs joining at once through a
      // tree of degree 2, on 2 cores busy with the rest of the suite, can take more than 3 s to join or go
      // silent for a second, and a tab that gives up falls back to the WebSocket. The closed tab's links
      // close at once on pagehide, so its children need no heartbeat to notice.
    ])
    try {
      const [url = ''] = await run.waitForStderr(URL_PATTERN)
      const pages = await Promise.all(
        Array.from({ length: TABS }, (_, i) => browser.open(url, `tab-${i + 1}`)),
      )
      const joined = await allJoined(pages)
      expect(joined.every((tab) => /webrtc/i.test(tab.transport))).toBe(true)
      expect(Math.max(...joined.map((tab) => tab.depth))).toBeGreaterThanOrEqual(3)
      expect(joined.every((tab) => tab.children <= 2)).toBe(true)
      // Each tab is announced by name, however deep it joined (its first status names it to the root).
      for (let i = 1; i <= TABS; i++) {
        await run.waitForStderr(new RegExp(`volunteer 'tab-${String(i)}' joined \\(\\d+ connected\\)`))
      }
      expect(run.stderr()).not.toMatch(/a volunteer joined|volunteers joined/)

      run.child.stdin.write(seqLines(0, 500))
      await run.waitForLines(150)
      const before = await Promise.all(pages.map(stateOf))
      const interior =
        before.find((tab) => tab.children > 0 && tab.depth >= 2) ?? before.find((t) => t.children > 0)
      if (interior === undefined) throw new Error('no interior tab')
      const orphans = before.filter((tab) => tab.parent === interior.id)
      expect(orphans.length).toBeGreaterThan(0)
      await interior.page.close()

      // Its former children find a new place by themselves, then get work again. While one looks for it, its
      // page shows no depth and no parent ("–"); once in place, a depth, and a parent other than the lost one.
      const survivors = pages.filter((page) => page !== interior.page)
      await Promise.all(
        orphans.map((orphan) =>
          orphan.page.waitForFunction(
            (lost) => {
              const depth = Number(document.querySelector('#depth')?.textContent?.trim())
              const parent = document.querySelector('#parent-id')?.textContent?.trim()
              return depth >= 1 && parent !== lost
            },
            interior.id,
            { timeout: 30_000 },
          ),
        ),
      )
      const rejoined = await Promise.all(orphans.map((orphan) => stateOf(orphan.page)))
      run.child.stdin.end(seqLines(500, 1000))
      const result = await run.exited
      expect(result.stdout).toBe(seqLines(0, 1000, (n) => String(n * n)))
      expect(result.code).toBe(0)

      // The pages show their counts within half a second (BUSY_VIEW_INTERVAL), later on a busy machine. The
      // poll lists the tabs that have not worked, so a failure says which and how much.
      const idleTabs = async (): Promise<string[]> => {
        const after = await Promise.all(survivors.map(stateOf))
        const idle = after.filter((tab) => tab.processed === 0).map((tab) => `${tab.id} processed nothing`)
        for (const orphan of rejoined) {
          const now = after.find((tab) => tab.id === orphan.id)?.processed ?? 0
          if (now <= orphan.processed) {
            idle.push(`${orphan.id} processed nothing after it rejoined (${String(now)} in all)`)
          }
        }
        return idle
      }
      await expect.poll(idleTabs, { timeout: 5_000 }).toEqual([])
    } finally {
      if (run.child.exitCode === null) run.child.kill('SIGKILL')
    }
    // 15 tabs join and 1,000 items of 10 ms run in well under a minute on a quiet machine; twice that beside
    // another test file, on 2 cores.
  }, 240_000)
})
