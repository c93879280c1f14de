// The dashboard in real Chromium, served by the real `createServer` (port 0, empty volunteer and run
// directories), fed scripted statuses of a run with 4 volunteers (scenario.ts). The page is built from the
// current sources into a temporary directory. Leaves a screenshot in test-results/dashboard.png.
import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { createServer, type PandoServer } from '@pando/server'
import type { Browser, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium } from '../../../harness/chromium.ts'
import { buildPage } from '../../../harness/page-build.ts'
import { createDashboardConfig } from '../../../webpack.config.ts'
import { formatCount } from '../src/format.ts'
import { ITEMS_TOTAL, VOLUNTEERS, statusAt } from './scenario.ts'

const SCREENSHOT = path.resolve(import.meta.dirname, '../../../test-results/dashboard.png')

/** The whole numbers in the `processed` cells, by volunteer id. */
async function processedById(page: Page): Promise<Record<string, number>> {
  return page.$$eval('#volunteers-table tbody tr', (rows) =>
    Object.fromEntries(
      rows.map((row) => [
        (row as HTMLElement).dataset.id ?? '',
        Number(row.querySelector('[data-column="processed"]')?.textContent?.replace(/,/g, '')),
      ]),
    ),
  )
}

describe('dashboard page', { timeout: 20_000 }, () => {
  let work: string
  let empty: string
  let browser: Browser
  let server: PandoServer
  const pages: Page[] = []

  const start = (port = 0): Promise<PandoServer> =>
    createServer({
      port,
      host: '127.0.0.1',
      volunteerDir: empty,
      runDir: empty,
      dashboardDir: path.join(work, 'dashboard'),
      onVolunteer: (socket) => socket.close(),
    })

  beforeAll(async () => {
    work = await mkdtemp(path.join(tmpdir(), 'pando-dashboard-test-'))
    empty = path.join(work, 'empty')
    await mkdir(empty)
    const [launched] = await Promise.all([
      launchChromium(),
      buildPage(createDashboardConfig({ outDir: path.join(work, 'dashboard'), mode: 'development' })),
    ])
    browser = launched
    server = await start()
  }, 60_000)

  afterEach(async () => {
    await Promise.all(pages.splice(0).map((page) => page.close()))
  })

  afterAll(async () => {
    await browser?.close()
    await server?.close()
    if (work !== undefined) await rm(work, { recursive: true, force: true })
  })

  async function open(): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } })
    pages.push(page)
    await page.goto(`http://127.0.0.1:${server.port}/monitor`)
    await expect.poll(() => page.getAttribute('#connection-status', 'data-state')).toBe('live')
    return page
  }

  it('shows the totals, one row per volunteer, the tree and the charts, and follows the counts', async () => {
    const page = await open()
    expect(page.url()).toBe(`http://127.0.0.1:${server.port}/monitor/`)
    expect(await page.isVisible('#volunteers-empty')).toBe(true)

    server.broadcastStatus(statusAt(1))
    await expect.poll(() => page.locator('#volunteers-table tbody tr').count()).toBe(4)
    expect(await page.textContent('#totals-done')).toBe(formatCount(statusAt(1).totals.done))
    expect(await page.textContent('#totals-volunteers')).toBe('4')
    expect(await page.textContent('#totals-items')).toBe(`${formatCount(ITEMS_TOTAL)} items`)
    expect(await page.isVisible('#volunteers-empty')).toBe(false)
    const first = await processedById(page)

    for (let step = 2; step <= 30; step++) server.broadcastStatus(statusAt(step))
    const last = statusAt(30)
    await expect.poll(() => page.textContent('#totals-done')).toBe(formatCount(last.totals.done))
    const later = await processedById(page)
    for (const { id } of VOLUNTEERS) expect(later[id]).toBeGreaterThan(first[id] ?? Infinity)
    expect(later).toEqual(Object.fromEntries(last.volunteers.map((v) => [v.id, v.processed])))

    expect(await page.textContent('#totals-read')).toBe(formatCount(last.totals.read))
    expect(await page.textContent('#totals-in-flight')).toBe(formatCount(last.totals.inFlight))
    expect(await page.textContent('#totals-relent')).toBe('3')
    expect(await page.textContent('#totals-failed')).toBe('1')
    expect(await page.textContent('#totals-elapsed')).toMatch(/^1:3\d$/)
    expect(await page.textContent('#totals-eta')).toMatch(/^\d+:\d\d$/)
    expect(Number(await page.getAttribute('#run-progress', 'data-percent'))).toBeCloseTo(
      (last.totals.done / ITEMS_TOTAL) * 100,
      0,
    )
    // The root and the 4 volunteers, two of them under the second one.
    expect(await page.locator('#tree [data-id]').count()).toBe(5)
    expect(await page.locator('#tree path.link').count()).toBe(4)
    for (const chart of ['#chart-history', '#chart-throughput', '#chart-load']) {
      expect(await page.locator(`${chart} canvas`).count()).toBe(1)
    }
    expect(await page.textContent('#chart-history .u-legend')).toContain('MacBook Pro 2016')

    await mkdir(path.dirname(SCREENSHOT), { recursive: true })
    await page.screenshot({ path: SCREENSHOT, fullPage: true })
  })

  it('sorts the table by the column whose header is clicked, and back', async () => {
    server.broadcastStatus(statusAt(31))
    const page = await open()
    const firstRow = (): Promise<string | null> =>
      page.getAttribute('#volunteers-table tbody tr:first-child', 'data-id')
    await expect.poll(firstRow).toBe('b71e44d9') // Asus laptop, by device name
    await page.click('button[data-sort="processed"]')
    expect(await firstRow()).toBe('3f9a1c20') // the MacBook processed the most
    expect(await page.getAttribute('th[data-column="processed"]', 'aria-sort')).toBe('descending')
    await page.click('button[data-sort="processed"]')
    expect(await firstRow()).toBe('e2840b17') // the Novena, the least
    expect(await page.getAttribute('th[data-column="processed"]', 'aria-sort')).toBe('ascending')
  })

  it('gives a viewer that connects late the last status at once', async () => {
    server.broadcastStatus(statusAt(32, 2))
    server.broadcastStatus(statusAt(33))
    const page = await open()
    await expect.poll(() => page.textContent('#totals-done')).toBe(formatCount(statusAt(33).totals.done))
    expect(await page.locator('#volunteers-table tbody tr').count()).toBe(4)
  })

  it('reconnects by itself after the server restarts on the same port', async () => {
    const page = await open()
    server.broadcastStatus(statusAt(34))
    await expect.poll(() => page.textContent('#totals-done')).toBe(formatCount(statusAt(34).totals.done))
    const { port } = server
    await server.close()
    await expect.poll(() => page.getAttribute('#connection-status', 'data-state')).toBe('reconnecting')
    // What it showed stays on screen while it is away.
    expect(await page.locator('#volunteers-table tbody tr').count()).toBe(4)

    server = await start(port)
    await expect
      .poll(() => page.getAttribute('#connection-status', 'data-state'), { timeout: 8_000 })
      .toBe('live')
    server.broadcastStatus(statusAt(40, 3))
    await expect.poll(() => page.locator('#volunteers-table tbody tr').count()).toBe(3)
    expect(await page.textContent('#totals-done')).toBe(formatCount(statusAt(40, 3).totals.done))
  })
})
