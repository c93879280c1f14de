import path from 'node:path'
import type { Page } from 'playwright-core'
import { PRINTED_URL, ROOT, seqLines, startPando } from '../../harness/pando-process.ts'
import type { VolunteerBrowser } from '../../harness/volunteer-browser.ts'

export interface ChaosOptions {
  readonly items: number
  readonly tabs: number
  readonly degree: number
  /** Every this many ms, a random tab (a leaf or an interior one) is closed and a new one opened. */
  readonly killEveryMs: number
  readonly browser: VolunteerBrowser
}

export interface ChaosResult {
  /** Whether stdout was exactly the squares of the items, in order, and the exit status 0. */
  readonly exact: boolean
  readonly durationMs: number
  /** Tabs closed while they were in the tree, of which interior ones (with children). */
  readonly killed: number
  readonly interiorKilled: number
  readonly stderr: string
}

const MODULE = path.join(ROOT, 'test/e2e/fixtures/square-50ms.cjs')

/** Whether a tab has children in the tree, as it shows. */
async function isInterior(page: Page): Promise<boolean> {
  const children = await page.textContent('#children').catch(() => '0')
  return Number(children) > 0
}

/**
 * A run over WebRTC tabs while tabs are closed and opened all along: the chaos the tool is made for.
 * The caller owns the browser; every tab this opens is closed before it returns.
 */
export async function chaosRun(options: ChaosOptions): Promise<ChaosResult> {
  const started = Date.now()
  const run = startPando([
    MODULE,
    '--stdin',
    '--port=0',
    `--degree=${options.degree}`,
    '--batch-size=2',
    '--ice-addresses=loopback',
    '--heartbeat=1000',
    '--bootstrap-timeout=3000',
  ])
  const [url = ''] = await run.waitForStderr(PRINTED_URL)
  const pages = await Promise.all(Array.from({ length: options.tabs }, () => options.browser.open(url)))
  run.child.stdin.end(seqLines(0, options.items))
  let killed = 0
  let interiorKilled = 0
  let busy = false
  let over = false
  const timer = setInterval(() => {
    if (busy || over) return
    busy = true
    void (async () => {
      const index = Math.floor(Math.random() * pages.length)
      const victim = pages[index]
      if (victim === undefined) return
      if (await isInterior(victim)) interiorKilled++
      killed++
      await victim.close().catch(() => undefined)
      // The run may end meanwhile: then its server is gone, and there is nothing to open.
      if (!over) pages[index] = await options.browser.open(url)
    })()
      .catch(() => undefined)
      .finally(() => (busy = false))
  }, options.killEveryMs)
  const result = await run.exited.finally(() => {
    over = true
    clearInterval(timer)
  })
  while (busy) await new Promise((resolve) => setTimeout(resolve, 20))
  await Promise.all(pages.map((page) => page.close().catch(() => undefined)))
  const expected = seqLines(0, options.items, (n) => String(n * n))
  return {
    exact: result.code === 0 && result.stdout === expected,
    durationMs: Date.now() - started,
    killed,
    interiorKilled,
    stderr: result.stderr,
  }
}
