// A volunteer is a tab, across the whole tree (issue 16): through the real CLI and real Chromium tabs in a
// WebRTC chain (`--degree 1`), a tab at depth 2 runs a tampered bundle (its Worker answers 42), with honest
// tabs above and below it. With --replicas 2 the output is exact, the liar alone is judged, named and
// excluded (its parent closes it; the honest tabs below it rejoin and keep working), its reload is refused
// (its browser's mark), and the run exits 0.
import path from 'node:path'
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { PRINTED_URL, ROOT, seqLines } from '../../harness/pando-process.ts'
import { expectOnlyLiarOutvoted, openLiar } from '../support/liar-tab.ts'
import { screenshotAndMeasure } from '../support/volunteer-page-view.ts'
import { useVolunteerBrowser } from '../support/volunteer-rig.ts'

const FIXTURE = path.join('test', 'e2e', 'fixtures', 'square-50ms.cjs')
const ITEMS = 60

/** A chain of tabs: each node of the tree takes one child. */
const ROOT_ARGS = [FIXTURE, '--stdin', '--port', '0', '--ice-addresses', 'loopback', '--degree', '1']

const text = (page: Page, id: string): Promise<string> =>
  page.evaluate((element) => document.getElementById(element)?.textContent ?? '', id)

describe('replication in the WebRTC tree: a volunteer is a tab', () => {
  const { browser, startPando } = useVolunteerBrowser()

  it('--replicas 2 in a chain, the liar at depth 2: only it is excluded, the tabs below rejoin and work, its reload is refused, exact output, exit 0', async () => {
    const run = startPando([...ROOT_ARGS, '--replicas', '2', '--reporting-interval', '1'])
    const [url = ''] = await run.waitForStderr(PRINTED_URL)
    const honest1 = await browser.open(`${url}#protocol=webrtc;device=honest-1;`)
    await run.waitForStderr(/joined \(1 connected\)/, 60_000)
    const liar = await openLiar(browser.context, url, 'webrtc')
    await run.waitForStderr(/joined \(2 connected\)/, 60_000)
    const honest2 = await browser.open(`${url}#protocol=webrtc;device=honest-2;`)
    await run.waitForStderr(/joined \(3 connected\)/, 60_000)
    const honest3 = await browser.open(`${url}#protocol=webrtc;device=honest-3;`)
    await run.waitForStderr(/joined \(4 connected\)/, 60_000)
    // One chain: the liar below one honest tab, two below it.
    for (const [page, depth] of [
      [honest1, '1'],
      [liar, '2'],
      [honest2, '3'],
      [honest3, '4'],
    ] as const)
      await expect.poll(() => text(page, 'depth'), { timeout: 30_000 }).toBe(depth)
    const liarId = await text(liar, 'volunteer-id')
    const honestIds = await Promise.all([honest1, honest2, honest3].map((page) => text(page, 'volunteer-id')))

    // Half the items, so that the run is still going when the tabs below the liar rejoin and it comes back.
    run.child.stdin.write(seqLines(0, ITEMS / 2))
    const [, excluded] = await run.waitForStderr(/volunteer '([^']+)' is excluded/, 120_000)
    expect(excluded).toBe(liarId)
    // Its page was told (its parent passed the root's `close-tab`), and it left the tree for good.
    await expect
      .poll(() => liar.textContent('#message'), { timeout: 30_000 })
      .toMatch(/^The run excluded this tab: it was outvoted on \d+ items/)
    // Its status says so too, not "Working" beside the message.
    expect(await liar.getAttribute('#status', 'data-status')).toBe('excluded')
    expect(await liar.textContent('#status-detail')).toBe(
      'This run takes no more work from this tab. You may close it.',
    )
    for (const viewport of ['desktop', 'phone'] as const) {
      const layout = await screenshotAndMeasure(
        liar,
        viewport,
        path.join(ROOT, 'test-results'),
        'excluded-tab',
      )
      expect(layout.scrollWidth, layout.file).toBeLessThanOrEqual(layout.innerWidth)
      expect(layout.clipped, layout.file).toEqual([])
    }
    // The tabs below it rejoin through the root: the chain is whole again, without it.
    await expect.poll(() => text(honest2, 'depth'), { timeout: 60_000 }).toBe('2')
    await expect.poll(() => text(honest3, 'depth'), { timeout: 60_000 }).toBe('3')
    const below = (): Promise<number> =>
      Promise.all([honest2, honest3].map((page) => text(page, 'processed'))).then((counts) =>
        counts.reduce((sum, count) => sum + Number(count), 0),
      )
    const belowBefore = await below()

    // Its reload is a new tab (a new id) of an excluded browser: refused as it joins, named once.
    await liar.reload()
    await run.waitForStderr(
      /a volunteer was refused: 'liar' came back from a browser excluded earlier in this run \(it was outvoted on \d+ items \(its results differed from the agreed ones\) and agreed on 0: excluded\)/,
      60_000,
    )
    await expect
      .poll(() => liar.textContent('#message'), { timeout: 30_000 })
      .toMatch(/^The run excluded this tab: it came back from a browser excluded earlier in this run/)
    expect(await liar.getAttribute('#status', 'data-status')).toBe('excluded')
    run.child.stdin.end(seqLines(ITEMS / 2, ITEMS))

    // Every line, within a generous time (what the run said is in the failure, should they not come).
    await run.waitForLines(ITEMS, 150_000)
    const result = await run.exited
    expect(result.stdout, result.stderr).toBe(seqLines(0, ITEMS, (n) => String(n * n)))
    expect(result.code).toBe(0)
    // Only the liar is excluded, once, outvoted; no honest tab is outvoted or named.
    expectOnlyLiarOutvoted(result.stderr, { liarIds: [liarId], honestIds })
    // The honest tabs below it computed after they rejoined.
    expect(await below()).toBeGreaterThan(belowBefore)
  }, 360_000)

  it('--replicas auto in a chain, the liar at depth 2: only it is excluded, having agreed on nothing, exact output, exit 0', async () => {
    const run = startPando([...ROOT_ARGS, '--replicas', 'auto'])
    const [url = ''] = await run.waitForStderr(PRINTED_URL)
    await browser.open(`${url}#protocol=webrtc;device=honest-1;`)
    await run.waitForStderr(/joined \(1 connected\)/, 60_000)
    const liar = await openLiar(browser.context, url, 'webrtc')
    await run.waitForStderr(/joined \(2 connected\)/, 60_000)
    await browser.open(`${url}#protocol=webrtc;device=honest-2;`)
    await run.waitForStderr(/joined \(3 connected\)/, 60_000)
    await expect.poll(() => text(liar, 'depth'), { timeout: 30_000 }).toBe('2')
    const liarId = await text(liar, 'volunteer-id')
    run.child.stdin.end(seqLines(0, ITEMS))

    await run.waitForLines(ITEMS, 150_000)
    const result = await run.exited
    expect(result.stdout, result.stderr).toBe(seqLines(0, ITEMS, (n) => String(n * n)))
    expect(result.code).toBe(0)
    expectOnlyLiarOutvoted(result.stderr, { liarIds: [liarId] })
  }, 360_000)
})
