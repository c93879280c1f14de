// Results you can trust from tabs you don't (issue 16), through the real CLI and real Chromium tabs: one tab
// runs a tampered bundle (its Worker answers 42 to everything). With --replicas 2 the output is exact, the
// liar is outvoted, excluded and named on stderr, and the run exits 0; over both transports.
import path from 'node:path'
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { PRINTED_URL, ROOT, seqLines } from '../../harness/pando-process.ts'
import { excludedIds, expectOnlyLiarOutvoted, openLiar } from '../support/liar-tab.ts'
import { useVolunteerBrowser } from '../support/volunteer-rig.ts'

const FIXTURE = path.join('test', 'e2e', 'fixtures', 'square-50ms.cjs')
const ITEMS = 60

const TRANSPORTS = ['websocket', 'webrtc'] as const

/** What every run here starts with: the fixture over stdin, on a free port, tree links on loopback. */
const ROOT_ARGS = [FIXTURE, '--stdin', '--port', '0', '--ice-addresses', 'loopback']

/** Where the dashboard's screenshots go, to be looked at. */
const screenshot = (name: string): string => path.join(ROOT, 'test-results', name)

describe('--replicas 2 with a tab running a tampered bundle', () => {
  const { browser, startPando } = useVolunteerBrowser()

  /** Opens the run's dashboard (its address is the volunteer page's, under `monitor/`). */
  async function openDashboard(url: string): Promise<Page> {
    const dashboard = await browser.context.newPage()
    await dashboard.setViewportSize({ width: 1280, height: 900 })
    const dashboardUrl = new URL('monitor/', url)
    dashboardUrl.search = new URL(url).search
    await dashboard.goto(dashboardUrl.href)
    return dashboard
  }

  /** Each row of the dashboard's volunteers table: its device name and its standing, as shown. */
  async function standingsShown(dashboard: Page): Promise<Map<string, string>> {
    const rows = await dashboard.$$eval('#volunteers-table tbody tr', (trs) =>
      trs.map((tr) => {
        const cell = (column: string): string =>
          tr.querySelector(`[data-column="${column}"]`)?.textContent?.trim() ?? ''
        return [cell('device'), cell('standing')] as const
      }),
    )
    return new Map(rows)
  }

  it.each(TRANSPORTS)(
    'over %s: exact output, the liar excluded and named (stderr, dashboard), exit 0',
    async (protocol) => {
      const run = startPando([...ROOT_ARGS, '--replicas', '2', '--reporting-interval', '1'])
      const [url = ''] = await run.waitForStderr(PRINTED_URL)
      const dashboard = await openDashboard(url)
      // The liar first, so that it is lent copies before the honest tabs take them all.
      await openLiar(browser.context, url, protocol)
      await run.waitForStderr(/joined \(1 connected\)/, 60_000)
      for (const device of ['honest-1', 'honest-2', 'honest-3'])
        await browser.open(`${url}#protocol=${protocol};device=${device};`)
      await run.waitForStderr(/joined \(4 connected\)/, 60_000)
      run.child.stdin.end(seqLines(0, ITEMS - 1))

      const result = await run.exited
      expect(result.stdout).toBe(seqLines(0, ITEMS - 1, (n) => String(n * n)))
      expect(result.code).toBe(0)
      expectOnlyLiarOutvoted(result.stderr)

      // The dashboard keeps the last status: the honest tabs' agreements in the table, the liar (gone from
      // it) under "Excluded for their results", by the name it had while it reported; each time it was
      // excluded (its page joins again after its link closed, under a new id), once.
      const listed = async (): Promise<{ id: string; text: string }[]> =>
        dashboard.$$eval('#excluded-list li', (lis) =>
          lis.map((li) => ({ id: li.getAttribute('data-id') ?? '', text: li.textContent ?? '' })),
        )
      await expect.poll(async () => (await listed()).map(({ id }) => id)).toEqual(excludedIds(result.stderr))
      for (const { id, text } of await listed())
        expect(text).toMatch(new RegExp(`^(liar( · \\w+)?|${id}) — outvoted \\d+ times?, agreed 0$`))
      expect(await dashboard.isVisible('#excluded-volunteers')).toBe(true)
      const shown = await standingsShown(dashboard)
      // A tree child lent to before its first report is judged as `child N` (the scheduler's ChildLending),
      // a name its row cannot show: `not judged yet` (README, the trust model).
      const honestStanding =
        protocol === 'websocket' ? /^[1-9]\d* agreed$/ : /^([1-9]\d* agreed|not judged yet)$/
      for (const device of ['honest-1', 'honest-2', 'honest-3'])
        expect(shown.get(device)).toMatch(honestStanding)
      // In the tree, the excluded tab leaves for good (its parent, the root, told it: `close-tab`), and a
      // tab of its browser that comes back is refused as it joins: a row of the liar's, if one shows, has
      // no agreement. Over the WebSocket its browser is refused: no row.
      const others = [...shown.keys()].filter((device) => !device.startsWith('honest-'))
      if (protocol === 'websocket') expect(others).toEqual([])
      for (const device of others) {
        expect(device).toMatch(/^liar/)
        expect(shown.get(device)).not.toMatch(/[1-9]\d* agreed/)
      }
      expect(await dashboard.isVisible('#volunteers-table th[data-column="standing"]')).toBe(true)
      await dashboard.screenshot({ path: screenshot(`replicas-dashboard-${protocol}.png`), fullPage: true })
      await dashboard.setViewportSize({ width: 390, height: 844 })
      // On a phone the table scrolls inside its panel: the page itself does not, once the charts have
      // followed the new width (a ResizeObserver's turn, at the next frame: on a busy machine not yet when
      // the resize returns).
      await expect
        .poll(() => dashboard.evaluate(() => document.documentElement.scrollWidth))
        .toBeLessThanOrEqual(390)
      await dashboard.screenshot({
        path: screenshot(`replicas-dashboard-${protocol}-phone.png`),
        fullPage: true,
      })
    },
    180_000,
  )

  it('a liar that reloads its page after its exclusion is refused (its browser is remembered), exact output, exit 0', async () => {
    const run = startPando([...ROOT_ARGS, '--replicas', '2'])
    const [url = ''] = await run.waitForStderr(PRINTED_URL)
    const liar = await openLiar(browser.context, url, 'websocket')
    await run.waitForStderr(/joined \(1 connected\)/, 60_000)
    for (const device of ['honest-1', 'honest-2'])
      await browser.open(`${url}#protocol=websocket;device=${device};`)
    await run.waitForStderr(/joined \(3 connected\)/, 60_000)
    // Half the items, so that the run is still going when the liar comes back.
    run.child.stdin.write(seqLines(0, ITEMS / 2))
    await run.waitForStderr(/volunteer '[^']+' is excluded/, 60_000)
    await liar.reload()
    await run.waitForStderr(
      /a volunteer was refused: 'liar' came back from a browser excluded earlier in this run \(it was outvoted on \d+ items \(its results differed from the agreed ones\) and agreed on 0: excluded\)/,
      60_000,
    )
    // The page shows why, and that it computes nothing more (it said "Reconnecting" beside the reason).
    await expect
      .poll(() => liar.textContent('#message'), { timeout: 30_000 })
      .toMatch(
        /^The run excluded this tab: this browser was excluded earlier in this run: it was outvoted .*\. Its work is done by others\.$/,
      )
    expect(await liar.getAttribute('#status', 'data-status')).toBe('excluded')
    run.child.stdin.end(seqLines(ITEMS / 2, ITEMS - 1))

    const result = await run.exited
    // What the run said, should it end otherwise.
    expect(result.stdout, result.stderr).toBe(seqLines(0, ITEMS - 1, (n) => String(n * n)))
    expect(result.code).toBe(0)
    // Excluded once: it never computed again under a new id.
    expect(excludedIds(result.stderr)).toHaveLength(1)
  }, 180_000)

  it('--spot-check 1 over websocket: this process checks every item, the liar is caught and excluded at once, exact output, exit 0', async () => {
    const run = startPando([...ROOT_ARGS, '--spot-check', '1'])
    const [url = ''] = await run.waitForStderr(PRINTED_URL)
    await openLiar(browser.context, url, 'websocket')
    await run.waitForStderr(/joined \(1 connected\)/, 60_000)
    for (const device of ['honest-1', 'honest-2'])
      await browser.open(`${url}#protocol=websocket;device=${device};`)
    await run.waitForStderr(/joined \(3 connected\)/, 60_000)
    run.child.stdin.end(seqLines(0, ITEMS - 1))

    const result = await run.exited
    expect(result.stdout).toBe(seqLines(0, ITEMS - 1, (n) => String(n * n)))
    expect(result.code).toBe(0)
    expect(result.stderr).toMatch(
      /pando: volunteer '[^']+' is excluded: its result differed from this process's own on a spot check; what it held is computed by others/,
    )
    expect(result.stderr).toMatch(
      /volunteer 'liar' left: 'liar' gave a result that differed from the root's own on a spot check: excluded/,
    )
  }, 180_000)

  it('--replicas auto over websocket: the liar never earns trust, is excluded and named, exact output, exit 0', async () => {
    const run = startPando([...ROOT_ARGS, '--replicas', 'auto'])
    const [url = ''] = await run.waitForStderr(PRINTED_URL)
    await openLiar(browser.context, url, 'websocket')
    await run.waitForStderr(/joined \(1 connected\)/, 60_000)
    for (const device of ['honest-1', 'honest-2', 'honest-3'])
      await browser.open(`${url}#protocol=websocket;device=${device};`)
    await run.waitForStderr(/joined \(4 connected\)/, 60_000)
    run.child.stdin.end(seqLines(0, ITEMS - 1))

    const result = await run.exited
    expect(result.stdout).toBe(seqLines(0, ITEMS - 1, (n) => String(n * n)))
    expect(result.code).toBe(0)
    expectOnlyLiarOutvoted(result.stderr)
  }, 180_000)
})
