// The monitoring, end to end: the real `pando` with volunteer tabs in Chromium, and its dashboard page
// (`/monitor/`) following the run live; the original's `DEBUG=pando-computing:monitoring` output.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ROOT, seqLines, type PandoRun, PRINTED_URL } from '../../harness/pando-process.ts'
import { useVolunteerBrowser } from '../support/volunteer-rig.ts'

const URL_PATTERN = PRINTED_URL
const SCREENSHOT = path.join(ROOT, 'test-results', 'dashboard-e2e.png')
/** Items per message: a tab holds two batches, so with 100 ms items it does at most 160 items/s. */
const BATCH_SIZE = '8'

/** Squares after 100 ms (as examples/square-delay.js, slower): a thousand items last several seconds. */
const SQUARE_SLOWLY = `module.exports['/pando/1.0.0'] = function (x, cb) {
  setTimeout(() => cb(null, String(Number(x) ** 2)), 100)
}
`
/** The same, reporting each item with pando-computing's report(), as the original's modules do. */
const SQUARE_REPORTING = `const pando = require('pando-computing')
module.exports['/pando/1.0.0'] = function (x, cb) {
  setTimeout(() => {
    pando.report({ nbItems: 1, units: 'squares', cpuTime: 1 })
    cb(null, String(Number(x) ** 2))
  }, 100)
}
`

/** One row of the dashboard's volunteers table. */
interface Row {
  readonly id: string
  readonly device: string
  readonly transport: string
  readonly depth: number
  readonly processed: number
}

const count = (text: string | null): number => Number((text ?? '').replace(/,/g, ''))

async function rows(dashboard: Page): Promise<Row[]> {
  return dashboard.$$eval('#volunteers-table tbody tr', (trs) =>
    trs.map((tr) => {
      const cell = (column: string): string =>
        tr.querySelector(`[data-column="${column}"]`)?.textContent?.trim() ?? ''
      return {
        id: tr.getAttribute('data-id') ?? '',
        device: cell('device'),
        transport: cell('transport'),
        depth: Number(cell('depth')),
        processed: Number(cell('processed').replace(/,/g, '')),
      }
    }),
  )
}

/** Rows by device name, once the table lists exactly `names`. */
async function rowsNamed(dashboard: Page, names: readonly string[]): Promise<Map<string, Row>> {
  let found: Row[] = []
  await expect
    .poll(
      async () => {
        found = await rows(dashboard)
        return found.map((row) => row.device).sort()
      },
      { timeout: 15_000 },
    )
    .toEqual([...names].sort())
  return new Map(found.map((row) => [row.device, row]))
}

describe('the dashboard during a run', () => {
  const { browser, startPando } = useVolunteerBrowser({ checkCsp: true })
  let modules: string
  let run: PandoRun | undefined

  beforeAll(() => {
    modules = mkdtempSync(path.join(tmpdir(), 'pando-dashboard-e2e-'))
    writeFileSync(path.join(modules, 'square-slowly.js'), SQUARE_SLOWLY)
    writeFileSync(path.join(modules, 'square-reporting.js'), SQUARE_REPORTING)
  })
  afterAll(() => {
    rmSync(modules, { recursive: true, force: true })
  })

  /** Starts `pando` on one of the modules with stdin left open, and returns the volunteer page's URL. */
  const startRoot = async (
    module: string,
    { args = [], env = {} }: { args?: readonly string[]; env?: Record<string, string> } = {},
  ): Promise<string> => {
    const options = ['--stdin', '--port', '0', '--reporting-interval', '1', '--batch-size', BATCH_SIZE]
    run = startPando([path.join(modules, module), ...options, '--ice-addresses', 'loopback', ...args], {
      env,
    })
    const [url] = await run.waitForStderr(URL_PATTERN)
    return url
  }

  /**
   * Opens volunteer tabs named `names` (with `hash` entries before the name) and waits until each has its
   * place: in the tree, or welcomed over the WebSocket.
   */
  const openTabs = async (url: string, names: readonly string[], hash = ''): Promise<Page[]> => {
    const pages = await Promise.all(
      names.map((name) => browser.open(`${url}#${hash}device=${encodeURIComponent(name)}`)),
    )
    await Promise.all(
      pages.map((page) =>
        page.waitForFunction(() => /\d/.test(document.querySelector('#depth')?.textContent ?? '')),
      ),
    )
    return pages
  }

  const openDashboard = async (url: string): Promise<Page> => {
    const dashboard = await browser.context.newPage()
    await dashboard.setViewportSize({ width: 1280, height: 1100 })
    const dashboardUrl = new URL('monitor/', url)
    dashboardUrl.search = new URL(url).search
    await dashboard.goto(dashboardUrl.href)
    return dashboard
  }

  it('lists the 4 tabs of the tree by name, their counts grow, and the totals match stdout at the end', async () => {
    const items = 2_000
    const names = ['Alice', 'Bob', 'Carol', 'Dave']
    // At degree 2, two tabs are children of the others: their reports reach the root through them.
    const url = await startRoot('square-slowly.js', { args: ['--degree', '2'] })
    const tabs = await openTabs(url, names)
    const ids = await Promise.all(tabs.map((tab) => tab.textContent('#volunteer-id')))
    const dashboard = await openDashboard(url)
    // The items come once every tab has joined, so that they all get work.
    run?.child.stdin.end(seqLines(0, items))

    const first = await rowsNamed(dashboard, names)
    expect(names.map((name) => first.get(name)?.id)).toEqual(ids)
    expect([...first.values()].map((row) => row.depth).sort()).toEqual([1, 1, 2, 2])
    for (const row of first.values()) expect(row.transport).toBe('webrtc')
    await expect
      .poll(
        async () => {
          const later = await rowsNamed(dashboard, names)
          return names.every((name) => (later.get(name)?.processed ?? 0) > (first.get(name)?.processed ?? 0))
        },
        { timeout: 10_000 },
      )
      .toBe(true)

    const result = await (run as PandoRun).exited
    expect(result.code).toBe(0)
    expect(result.stdout).toBe(seqLines(0, items, (n) => String(n * n)))
    const lines = result.stdout.split('\n').length - 1
    await expect
      .poll(() => dashboard.textContent('#totals-done'), { timeout: 5_000 })
      .toBe(lines.toLocaleString('en-US'))
    expect(count(await dashboard.textContent('#totals-read'))).toBe(lines)
    expect(await dashboard.textContent('#totals-eta')).toBe('done')

    mkdirSync(path.dirname(SCREENSHOT), { recursive: true })
    await dashboard.screenshot({ path: SCREENSHOT, fullPage: true })
  })

  it('shows volunteers that use the WebSocket (#protocol=websocket)', async () => {
    const names = ['Web One', 'Web Two']
    const url = await startRoot('square-slowly.js')
    await openTabs(url, names, 'protocol=websocket;')
    const dashboard = await openDashboard(url)
    run?.child.stdin.end(seqLines(0, 500))
    const shown = await rowsNamed(dashboard, names)
    for (const row of shown.values()) expect(row.transport).toBe('websocket')
    const result = await (run as PandoRun).exited
    expect(result.code).toBe(0)
    await expect.poll(() => dashboard.textContent('#totals-done'), { timeout: 5_000 }).toBe('500')
  })

  it('lists the volunteers by id, with their device names and items, with DEBUG=pando-computing:monitoring', async () => {
    const names = ['Debug One', 'Debug Two']
    const url = await startRoot('square-reporting.js', {
      env: { DEBUG: 'pando-computing:monitoring' },
    })
    const tabs = await openTabs(url, names)
    const ids = await Promise.all(tabs.map((tab) => tab.textContent('#volunteer-id')))
    run?.child.stdin.end(seqLines(0, 500))
    const result = await (run as PandoRun).exited
    expect(result.code).toBe(0)
    const statuses = result.stderr
      .split('\n')
      .flatMap((line) => /^\S+ pando-computing:monitoring (\{.*\})$/.exec(line)?.slice(1) ?? [])
      .map((json) => JSON.parse(json) as { volunteers: Record<string, Record<string, unknown>> })
    for (const status of statuses)
      expect(Object.keys(status).sort()).toEqual(['root', 'timestamp', 'volunteers'])
    const listed = statuses.filter((status) => Object.keys(status.volunteers).length === 2)
    expect(listed.length).toBeGreaterThan(0)
    const latest = listed.at(-1)?.volunteers ?? {}
    expect(Object.keys(latest).sort()).toEqual([...ids].sort())
    for (const [id, volunteer] of Object.entries(latest)) {
      expect(volunteer).toMatchObject({
        id,
        lastReportInterval: expect.any(Number),
        nbItems: expect.any(Number),
        deviceName: names[ids.indexOf(id)],
        performance: {
          id,
          deviceName: names[ids.indexOf(id)],
          units: 'squares',
          throughputStats: { average: expect.any(String), 'standard-deviation': expect.any(String) },
        },
      })
    }
    const itemsReported = listed.flatMap((status) =>
      Object.values(status.volunteers).map((v) => Number(v.nbItems)),
    )
    expect(itemsReported.some((n) => n > 0)).toBe(true)
  })
})
