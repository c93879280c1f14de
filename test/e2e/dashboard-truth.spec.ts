// The dashboard tells the truth from the first status to the last: the real `pando` with volunteer tabs of
// both transports in Chromium, its dashboard open; what the dashboard shows is read as text and compared
// with the join notices and with stdout; screenshots at desktop and phone sizes are checked for overflow.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ROOT, seqLines, startPando, type PandoRun, PRINTED_URL } from '../../harness/pando-process.ts'
import { launchVolunteerBrowser, type VolunteerBrowser } from '../../harness/volunteer-browser.ts'

const SCREENSHOTS = path.join(ROOT, 'test-results')
const ITEMS = 300
/** Squares after 100 ms: 300 items last several seconds with three tabs. */
const SQUARE_SLOWLY = `module.exports['/pando/1.0.0'] = function (x, cb) {
  setTimeout(() => cb(null, String(Number(x) ** 2)), 100)
}
`
/** A tab's default label: its browser, its OS and the start of its id. */
const LABEL = /^Chrome · Linux · [0-9a-f]{4}$/
const SIZES = {
  desktop: { width: 1280, height: 800 },
  phone: { width: 390, height: 844 },
} as const

interface Row {
  readonly device: string
  readonly depth: number
  /** The Busy column, in %. */
  readonly busy: number
  readonly processed: number
  readonly inFlight: number
  /** Items/s, as the volunteer measured it over its last interval. */
  readonly throughput: number
}

const rows = (dashboard: Page): Promise<Row[]> =>
  dashboard.$$eval('#volunteers-table tbody tr', (trs) =>
    trs.map((tr) => {
      const cell = (column: string): string =>
        tr.querySelector(`[data-column="${column}"]`)?.textContent?.trim() ?? ''
      return {
        device: cell('device'),
        depth: Number(cell('depth')),
        busy: Number.parseFloat(cell('cpu')),
        processed: Number(cell('processed').replace(/,/g, '')),
        inFlight: Number(cell('in-flight').replace(/,/g, '')),
        throughput: Number.parseFloat(cell('throughput').replace(/,/g, '')),
      }
    }),
  )

/**
 * What overflows at the page's size: the page wider than the window, and elements whose content is cut
 * (wider than their box while clipping it), tree labels outside the drawing included.
 */
const overflows = (page: Page): Promise<string[]> =>
  page.evaluate(() => {
    const found: string[] = []
    const root = document.documentElement
    if (root.scrollWidth > window.innerWidth)
      found.push(`the page: ${root.scrollWidth} > ${window.innerWidth}`)
    for (const element of document.querySelectorAll<HTMLElement>('header, header *, .stat, .stat *')) {
      if (
        element.scrollWidth > element.clientWidth + 1 &&
        getComputedStyle(element).overflowX !== 'visible'
      ) {
        found.push(`${element.tagName}#${element.id}.${element.className}: cut`)
      }
      const box = element.getBoundingClientRect()
      if (box.width > 0 && (box.right > window.innerWidth + 1 || box.left < -1)) {
        found.push(`${element.tagName}#${element.id}.${element.className}: outside the window`)
      }
    }
    const svg = document.querySelector('#tree svg')
    if (svg !== null) {
      const frame = svg.getBoundingClientRect()
      for (const text of svg.querySelectorAll('text')) {
        const box = text.getBoundingClientRect()
        if (box.left < frame.left - 1 || box.right > frame.right + 1)
          found.push(`tree label "${text.textContent}" cut`)
      }
    }
    return found
  })

describe('the dashboard tells the truth', () => {
  let browser: VolunteerBrowser
  let run: PandoRun | undefined
  let modules: string

  beforeAll(async () => {
    modules = mkdtempSync(path.join(tmpdir(), 'pando-dashboard-truth-'))
    writeFileSync(path.join(modules, 'square-slowly.js'), SQUARE_SLOWLY)
    browser = await launchVolunteerBrowser()
  })
  afterAll(async () => {
    if (run !== undefined && run.child.exitCode === null) run.child.kill('SIGKILL')
    await browser.close()
    rmSync(modules, { recursive: true, force: true })
  })

  it('agrees with the join notices at its first status and with stdout at the end, at desktop and phone sizes', async () => {
    run = startPando(
      [
        path.join(modules, 'square-slowly.js'),
        '--stdin',
        '--port',
        '0',
        '--reporting-interval',
        '1',
        '--batch-size',
        '4',
        // A chain: the second tree tab joins under the first, so a row of depth 2 must show its own counts.
        '--degree',
        '1',
        '--ice-addresses',
        'loopback',
      ],
      {},
    )
    const [url] = await run.waitForStderr(PRINTED_URL)
    // Two tabs of the WebRTC tree with the browser's default name, one named, over the WebSocket.
    const tabs = [
      await browser.open(url),
      await browser.open(url),
      await browser.open(`${url}#protocol=websocket;device=Alice`),
    ]
    await run.waitForStderr(/\(3 connected\)/, 30_000)
    const joins = run.stderr().match(/^pando: .*joined \(\d+ connected\)$/gm) ?? []
    expect(joins).toHaveLength(3)
    expect(
      joins.filter((line) => /^pando: volunteer 'Alice' joined \(\d connected\)$/.test(line)),
    ).toHaveLength(1)

    const desktop = await browser.context.newPage()
    await desktop.setViewportSize(SIZES.desktop)
    const dashboardUrl = new URL('monitor/', url)
    dashboardUrl.search = new URL(url).search
    await desktop.goto(dashboardUrl.href)
    // The first status it shows counts the three that joined, in the totals and in the table's place.
    await desktop.waitForFunction(() => document.querySelector('#totals-volunteers')?.textContent !== '–')
    expect(await desktop.textContent('#totals-volunteers')).toBe('3')
    expect(await desktop.isVisible('#volunteers-empty')).toBe(false)
    await desktop.screenshot({
      path: path.join(SCREENSHOTS, 'dashboard-waiting-desktop.png'),
      fullPage: true,
    })

    run.child.stdin.end(seqLines(0, ITEMS))
    // While items are in flight: rate and ETA make sense.
    await desktop.waitForFunction(
      () => Number(document.querySelector('#totals-done')?.textContent?.replace(/,/g, '')) > 0,
    )
    // Told apart: the tabs that chose no name by their browser, OS and the start of their id.
    await expect
      .poll(async () => (await rows(desktop)).map((row) => row.device).sort(), { timeout: 10_000 })
      .toEqual(['Alice', expect.stringMatching(LABEL), expect.stringMatching(LABEL)])
    const labels = (await rows(desktop)).map((row) => row.device)
    expect(new Set(labels).size).toBe(3)
    // The same words in the charts' legend and under the tree's nodes.
    const legend = await desktop.$$eval('.u-legend .u-series', (items) =>
      items.map((item) => item.textContent?.trim() ?? ''),
    )
    const tree = await desktop.$$eval('#tree svg text', (texts) => texts.map((t) => t.textContent ?? ''))
    for (const label of labels) {
      expect(legend.join('\n')).toContain(label)
      expect(tree).toContain(label)
    }

    const result = await run.exited
    expect(result.code).toBe(0)
    expect(result.stdout).toBe(seqLines(0, ITEMS, (n) => String(n * n)))

    // The last status, sent before the root exited: exact.
    await expect.poll(() => desktop.textContent('#totals-done'), { timeout: 10_000 }).toBe(String(ITEMS))
    expect(await desktop.textContent('#totals-in-flight')).toBe('0')
    expect(await desktop.textContent('#totals-eta')).toBe('done')
    expect(await desktop.textContent('#totals-volunteers')).toBe('3')
    // The root is gone after its last status: the run finished, nothing to reconnect to.
    await expect.poll(() => desktop.textContent('#connection-status')).toBe('run finished')
    const final = await rows(desktop)
    expect(final).toHaveLength(3)
    // Every row's own count, the tab of depth 2 included: they add up to the total.
    expect(final.map((row) => row.depth).sort()).toEqual([1, 1, 2])
    expect(final.find((row) => row.depth === 2)?.processed).toBeGreaterThan(0)
    expect(final.reduce((sum, row) => sum + row.processed, 0)).toBe(ITEMS)
    expect(final.every((row) => row.inFlight === 0)).toBe(true)
    expect(final.every((row) => row.busy >= 0 && row.busy <= 100)).toBe(true)
    // The run is over: no rate now (the last status's would stay on the page forever).
    expect(await desktop.textContent('#totals-rate')).toBe('–')
    for (const tab of tabs) await tab.close()

    mkdirSync(SCREENSHOTS, { recursive: true })
    await desktop.screenshot({ path: path.join(SCREENSHOTS, 'dashboard-desktop.png'), fullPage: true })
    expect(await overflows(desktop)).toEqual([])
    await desktop.setViewportSize(SIZES.phone)
    await desktop.waitForTimeout(500)
    await desktop.screenshot({ path: path.join(SCREENSHOTS, 'dashboard-phone.png'), fullPage: true })
    expect(await overflows(desktop)).toEqual([])
  })
})
