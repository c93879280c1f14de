import { fileURLToPath } from 'node:url'
import type { BrowserContext, Page } from 'playwright-core'
import { launchVolunteerBrowser, type VolunteerBrowser } from '../harness/volunteer-browser.ts'
import { pollFor } from './clock.ts'

/**
 * How a tab reaches the root, as its URL hash asks: `websocket` (`#protocol=websocket`), `webrtc` (the tree,
 * `#protocol=webrtc`, no fallback) or `auto` (no `protocol` entry: what a volunteer opening the plain URL gets).
 */
export type Transport = 'websocket' | 'webrtc' | 'auto'

/** What the probe (page-probe.js) records in a tab, in the tab's `performance.now()` ms (`null`: not yet). */
interface ProbeRecord {
  readonly loadAt: number | null
  /** First `#status` of `waiting-for-work` or `working`: the tab has a Worker and a parent (the root or a tab). */
  readonly readyAt: number | null
  /** First `#status` of `working`, or first `#processed` above 0: the tab holds its first item. */
  readonly firstItemAt: number | null
  /** First `#processed` above 0. */
  readonly firstProcessedAt: number | null
}

/** What `window.__pandoBenchRead()` returns. */
interface ProbeReading {
  readonly record: ProbeRecord
  readonly timeOrigin: number
  readonly processed: number
  readonly transport: string | null
  readonly depth: string | null
  readonly message: string | null
}

/** The probe to inject into every tab (`context.addInitScript({ path })`) before it loads. */
export const PROBE_SCRIPT = fileURLToPath(new URL('page-probe.js', import.meta.url))

/** What a tab shows and what the probe recorded, times as epoch milliseconds (see `now()`). */
export interface TabReading {
  readonly loadAt: number | undefined
  readonly readyAt: number | undefined
  readonly firstItemAt: number | undefined
  readonly firstProcessedAt: number | undefined
  /** Navigation start. */
  readonly timeOrigin: number
  readonly processed: number
  /** `#transport`, `#depth`, `#message` as shown; `undefined` when the page has no such element. */
  readonly transport: string | undefined
  readonly depth: string | undefined
  readonly message: string | undefined
  /** WebSockets the tab opened to the signaling relay (`/join`), one per join attempt. */
  readonly joinSockets: number
}

/** The browser every scenario shares: one Chromium, one context, the probe in every tab. */
export interface Tabs {
  readonly browser: VolunteerBrowser
  readonly context: BrowserContext
  readonly chromiumVersion: string
  /**
   * Opens `count` tabs on `url` at once, named `NAME-1…`, with the transport asked for in the hash, and
   * `workers` Workers each when given.
   */
  open(url: string, transport: Transport, count: number, name: string, workers?: number): Promise<Page[]>
  read(page: Page): Promise<TabReading>
  /** Resolves once every page is ready (has a Worker and a parent). */
  waitUntilReady(pages: readonly Page[], timeoutMs?: number): Promise<void>
  /** Closes every open tab. */
  closeAll(): Promise<void>
  close(): Promise<void>
}

export function tabUrl(url: string, transport: Transport, name: string, workers?: number): string {
  const hash = transport === 'auto' ? '' : `protocol=${transport}&`
  const workersEntry = workers === undefined ? '' : `&workers=${String(workers)}`
  return `${url}#${hash}device=${encodeURIComponent(name)}${workersEntry}`
}

export async function launchTabs(): Promise<Tabs> {
  const browser = await launchVolunteerBrowser()
  const { context } = browser
  await context.addInitScript({ path: PROBE_SCRIPT })
  const joinSockets = new WeakMap<Page, number>()
  context.on('page', (page) => {
    joinSockets.set(page, 0)
    page.on('websocket', (socket) => {
      if (new URL(socket.url()).pathname === '/join') joinSockets.set(page, (joinSockets.get(page) ?? 0) + 1)
    })
  })
  const read = (page: Page): Promise<TabReading> => readTab(page, joinSockets.get(page) ?? 0)
  return {
    browser,
    context,
    chromiumVersion: browser.browser.version(),
    open: (url, transport, count, name, workers) =>
      Promise.all(
        Array.from({ length: count }, (_, index) =>
          browser.open(tabUrl(url, transport, `${name}-${index + 1}`, workers)),
        ),
      ),
    read,
    async waitUntilReady(pages, timeoutMs = 30_000) {
      await pollFor(
        async () => {
          const readings = await Promise.all(pages.map(read))
          return readings.every((reading) => reading.readyAt !== undefined) ? true : undefined
        },
        `${pages.length} tab(s) to be ready`,
        timeoutMs,
        50,
      )
    },
    async closeAll() {
      await Promise.all(context.pages().map((page) => page.close().catch(() => undefined)))
    },
    close: () => browser.close(),
  }
}

/** What the probe of a tab recorded and what the tab shows; `joinSockets`: its `/join` WebSockets so far. */
export async function readTab(page: Page, joinSockets: number): Promise<TabReading> {
  // A string, not a function: tsx compiles functions with helpers that the page does not have.
  const shown = await page.evaluate<ProbeReading>('window.__pandoBenchRead()')
  const at = (time: number | null | undefined): number | undefined =>
    time === null || time === undefined ? undefined : shown.timeOrigin + time
  return {
    loadAt: at(shown.record.loadAt),
    readyAt: at(shown.record.readyAt),
    firstItemAt: at(shown.record.firstItemAt),
    firstProcessedAt: at(shown.record.firstProcessedAt),
    timeOrigin: shown.timeOrigin,
    processed: shown.processed,
    transport: shown.transport ?? undefined,
    depth: shown.depth ?? undefined,
    message: shown.message ?? undefined,
    joinSockets,
  }
}
