// What the volunteer page tells a person at each state of a run, through the real CLI (and a real
// pando-server) and real Chromium tabs: waiting for a run, waiting for work, working, finished; and its layout
// at phone and desktop sizes, from screenshots the test takes (in test-results/volunteer-page/).
import path from 'node:path'
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import {
  PANDO_SERVER,
  PRINTED_URL,
  ROOT,
  seqLines,
  waitForServer,
  type PandoRun,
} from '../../harness/pando-process.ts'
import { useVolunteerBrowser } from '../support/volunteer-rig.ts'
import {
  readPageView,
  screenshotAndMeasure,
  waitForStatus,
  type PageView,
} from '../support/volunteer-page-view.ts'

const SCREENSHOTS = path.join(ROOT, 'test-results', 'volunteer-page')
const SECRET = 'e2e-secret-of-the-page-test'
const MODULE = 'examples/square-delay.js'
/** Slow enough items that a tab is seen working. */
const ENV = { SQUARE_DELAY_MS: '100' }
/** While the test looks at the tabs working, an item of 100 ms every 50 ms: two tabs are kept busy. */
const FEED_INTERVAL_MS = 50
const FINISHED_TEXT = 'The run is finished — thank you. You may close this tab.'
/** A volunteer or tree id as the page used to show it: 16 hex digits. */
const HEX_ID = /\b[0-9a-f]{16}\b/

/** What every state has in common: what runs, for whom, and no warning, no id. */
function expectCalmView(view: PageView, host: string): void {
  expect(view.moduleName).toBe('square-delay.js')
  expect(view.host).toBe(host)
  expect(view.message).toBeUndefined()
  expect(view.text).not.toMatch(HEX_ID)
  expect(view.text).not.toMatch(/reconnecting|closed the connection/i)
}

/** Screenshots at both sizes, each checked for horizontal overflow and anything cut off. */
async function expectLayoutFits(page: Page, name: string): Promise<void> {
  for (const viewport of ['phone', 'desktop'] as const) {
    const layout = await screenshotAndMeasure(page, viewport, SCREENSHOTS, name)
    expect(layout.scrollWidth, layout.file).toBeLessThanOrEqual(layout.innerWidth)
    expect(layout.clipped, layout.file).toEqual([])
  }
}

/**
 * Feeds items 0, 1, …: half of `items` at once, then one every {@link FEED_INTERVAL_MS} while the test looks at
 * the tabs working (so that they still are, however fast they compute on a busy machine), then the rest up
 * to at least `items`. Returns how many it fed, all of them checked on stdout.
 */
async function runToTheEnd(
  run: PandoRun,
  tabs: readonly Page[],
  items: number,
  name: string,
): Promise<number> {
  let fed = Math.floor(items / 2)
  run.child.stdin.write(seqLines(0, fed))
  const feeder = setInterval(() => {
    run.child.stdin.write(seqLines(fed, fed + 1))
    fed += 1
  }, FEED_INTERVAL_MS)
  try {
    await Promise.all(tabs.map((tab) => waitForStatus(tab, 'working')))
    // Read at once with the status: between two batches a tab is waiting for work for a moment.
    const workingText = async (): Promise<readonly string[] | undefined> => {
      const view = await readPageView(tabs[0] as Page)
      return view.status === 'working' ? [view.label, view.detail] : undefined
    }
    await expect.poll(workingText).toEqual(['Working', 'This tab is computing items.'])
    // The input is still open: the total is not known yet.
    await expect
      .poll(async () => (await readPageView(tabs[0] as Page)).runProgress, { timeout: 10_000 })
      .toMatch(/^\d+ items? done$/)
    await expectLayoutFits(tabs[0] as Page, `${name}-working`)
  } finally {
    clearInterval(feeder)
  }
  const total = Math.max(fed, items)
  run.child.stdin.end(seqLines(fed, total))
  const result = await run.exited
  expect(result.stdout).toBe(seqLines(0, total, (n) => String(n * n)))
  expect(result.code).toBe(0)
  return total
}

/** Each tab says the run finished, with the whole run's count, and stays so (no reconnecting later). */
async function expectFinished(tabs: readonly Page[], host: string, items: number): Promise<void> {
  await Promise.all(tabs.map((tab) => waitForStatus(tab, 'finished', 10_000)))
  // Long enough for a page that would reconnect to have tried (its back-off starts at 250 ms).
  await new Promise((resolve) => setTimeout(resolve, 2_000))
  const views = await Promise.all(tabs.map(readPageView))
  for (const view of views) {
    expect(view.status).toBe('finished')
    expect(view.label).toBe('Finished')
    expect(view.detail).toBe(FINISHED_TEXT)
    expect(view.note).toBe('If another run starts here, this tab joins it.')
    const count = items.toLocaleString('en-US')
    expect(view.runProgress).toBe(`${count} of ${count} items done`)
    expectCalmView(view, host)
  }
  expect(views.reduce((sum, view) => sum + view.processed, 0)).toBe(items)
}

describe('the volunteer page tells the truth', () => {
  const { browser, startPando } = useVolunteerBrowser()

  it.each([
    ['WebRTC', '', 'webrtc'],
    ['WebSocket', '#protocol=websocket', 'websocket'],
  ])(
    'over %s: waiting for work, working, then finished, with the run and its progress',
    async (transport, hash, name) => {
      const root = startPando(
        [MODULE, '--stdin', '--port', '0', '--batch-size', '2', '--reporting-interval', '1'],
        { env: ENV },
      )
      const [url = ''] = await root.waitForStderr(PRINTED_URL)
      const host = new URL(url).host
      const tabs = await Promise.all(
        ['Ada', 'Grace'].map((device) =>
          browser.open(`${url}${hash === '' ? '#' : `${hash};`}device=${device}`),
        ),
      )
      // In the run, handed nothing yet: waiting for work, not idle, not an error.
      await Promise.all(tabs.map((tab) => waitForStatus(tab, 'waiting-for-work')))
      const waiting = await readPageView(tabs[0] as Page)
      expect(waiting.label).toBe('Waiting for work')
      expectCalmView(waiting, host)
      expect(await (tabs[0] as Page).textContent('#transport')).toBe(transport)
      await expectLayoutFits(tabs[0] as Page, `${name}-waiting-for-work`)

      const total = await runToTheEnd(root, tabs, 60, name)
      await expectFinished(tabs, host, total)
      await expectLayoutFits(tabs[0] as Page, `${name}-finished`)
    },
  )

  it('with pando-server: waiting for a run before the root registers, then working, then finished', async () => {
    const env = { PANDO_SECRET: SECRET, ...ENV }
    const server = startPando(['--port', '0', '--ice-addresses', 'loopback'], { bin: PANDO_SERVER, env })
    const { port, url } = await waitForServer(server)
    const host = new URL(url).host
    const tabs = [
      await browser.open(`${url}#device=tree-tab`),
      await browser.open(`${url}#protocol=websocket;device=ws-tab`),
    ]
    await Promise.all(tabs.map((tab) => waitForStatus(tab, 'waiting-for-run', 15_000)))
    for (const tab of tabs) {
      const view = await readPageView(tab)
      expect(view.label).toBe('Waiting for a run')
      expect(view.detail).toBe(
        'No computation is running here yet. This tab joins by itself when one starts.',
      )
      expect(view.message).toBeUndefined()
      expect(view.text).not.toMatch(/reconnecting|closed the connection/i)
    }
    await expectLayoutFits(tabs[0] as Page, 'server-waiting-for-run')

    const root = startPando(
      [
        MODULE,
        '--stdin',
        '--host',
        `localhost:${port}`,
        '--ice-addresses',
        'loopback',
        '--batch-size',
        '2',
        '--reporting-interval',
        '1',
      ],
      { env },
    )
    // The tab that waited on the tree page joins the tree, not the WebSocket fallback.
    // Either may come first: each notice counts the volunteers connected then.
    await root.waitForStderr(/volunteer 'tree-tab' joined \([12] connected\)/, 20_000)
    await root.waitForStderr(/volunteer 'ws-tab' joined \([12] connected\)/, 20_000)
    await Promise.all(tabs.map((tab) => waitForStatus(tab, 'waiting-for-work', 15_000)))
    expect(await Promise.all(tabs.map((tab) => tab.textContent('#transport')))).toEqual([
      'WebRTC',
      'WebSocket',
    ])
    const total = await runToTheEnd(root, tabs, 60, 'server')
    await expectFinished(tabs, host, total)
    await server.waitForStderr(/the root from 127\.0\.0\.1 left: the run is over/)
  })
  // A tab cut off when the run ends: see unreachable-root.spec.ts (it says finished only when it knows).
})
