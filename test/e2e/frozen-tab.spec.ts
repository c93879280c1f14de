import path from 'node:path'
import type { CDPSession, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { seqLines, startPando, type PandoRun, PRINTED_URL } from '../../harness/pando-process.ts'
import { launchVolunteerBrowser, type VolunteerBrowser } from '../../harness/volunteer-browser.ts'

const URL_PATTERN = PRINTED_URL
const FIXTURE = path.join('test', 'e2e', 'fixtures', 'hold.cjs')
/** Short, so that the frozen tab is dropped in a second or two. */
const HEARTBEAT_MS = 1_000
/** Items per message: the frozen tab is lent two batches, which are all the items. */
const BATCH_SIZE = 4
const ITEMS = 2 * BATCH_SIZE
/**
 * How long a tab holds each item (no CPU): the frozen tab is paused as soon as it shows it works, well
 * within this, so it holds its items when it freezes and gives back none of them.
 */
const HOLD_MS = 3_000
/** Safety net only: how long the root may take to drop the frozen tab (2 heartbeats are enough). */
const DROP_TIMEOUT_MS = 30_000

interface TransportCase {
  /** The page's `#protocol=` entry. */
  readonly protocol: 'websocket' | 'webrtc'
  /** What the page shows in `#transport`. */
  readonly shown: string
  /** The root's notice on stderr when the tab joins. */
  readonly joined: RegExp
  /** The root's notice on stderr when it drops the silent tab. */
  readonly dropped: RegExp
}

const TRANSPORTS: readonly TransportCase[] = [
  {
    protocol: 'websocket',
    shown: 'WebSocket',
    joined: /pando: volunteer 'frozen' joined \(1 connected\)/,
    // The browser still answers the server's WebSocket pings for a paused page: the page's own heartbeat tells.
    dropped:
      /pando: volunteer 'frozen' left: silent for \d+ ms: the page sent no heartbeat \(frozen or hung\?\) \(0 connected\)/,
  },
  {
    protocol: 'webrtc',
    shown: 'WebRTC',
    joined: /pando: volunteer 'frozen' joined \(1 connected\)/,
    dropped: /pando: volunteer 'frozen' left: its WebRTC link closed \(0 connected\)/,
  },
]

/**
 * Freezes `page` for real: pauses its main thread in the debugger (CDP `Debugger.pause`), so it runs no
 * JavaScript while the tab and its connections stay open, as a tab the browser froze or a debugger pause.
 * (CDP `Page.setWebLifecycleState` does not freeze a visible headless page: its timers keep running.) Its
 * Worker runs on, but what it posts waits for the main thread.
 */
async function freeze(page: Page): Promise<CDPSession> {
  const session = await page.context().newCDPSession(page)
  await session.send('Debugger.enable')
  await session.send('Debugger.pause')
  return session
}

/** Waits for the root's `notice` that `page` joined; when it does not come, says what the page shows. */
async function waitForJoin(run: PandoRun, page: Page, notice: RegExp): Promise<void> {
  try {
    await run.waitForStderr(notice)
  } catch (error) {
    const shown = async (selector: string): Promise<string> =>
      ((await page.textContent(selector, { timeout: 1_000 }).catch(() => null)) ?? '').trim()
    throw new Error(
      `${String(error)}\nthe page shows status '${await shown('#status')}', message '${await shown('#message')}'`,
      { cause: error },
    )
  }
}

/** Lets a frozen page run again, so that it and the browser can close. */
async function thaw(session: CDPSession): Promise<void> {
  await session.send('Debugger.resume').catch(() => undefined)
  await session.detach().catch(() => undefined)
}

describe('a frozen volunteer tab (its main thread paused, its connections open)', () => {
  let browser: VolunteerBrowser
  let run: PandoRun | undefined
  let frozen: CDPSession | undefined

  beforeAll(async () => {
    browser = await launchVolunteerBrowser()
  })
  afterEach(async () => {
    if (frozen !== undefined) await thaw(frozen)
    frozen = undefined
    for (const page of browser.context.pages()) await page.close()
    if (run !== undefined && run.child.exitCode === null) run.child.kill('SIGKILL')
    run = undefined
  })
  afterAll(async () => {
    await browser.close()
  })

  const open = (url: string, protocol: string, device: string, workers = 1): Promise<Page> =>
    browser.open(`${url}#protocol=${protocol};device=${device};workers=${String(workers)};`)

  it.each(TRANSPORTS)(
    'is dropped by the root over $protocol, and the items it held are lent to another tab: exact output, exit 0',
    async ({ protocol, shown, joined, dropped }) => {
      run = startPando([
        FIXTURE,
        '--stdin',
        '--port',
        '0',
        '--ice-addresses',
        'loopback',
        '--heartbeat',
        String(HEARTBEAT_MS),
        '--batch-size',
        String(BATCH_SIZE),
      ])
      const [url = ''] = await run.waitForStderr(URL_PATTERN)

      // The first tab joins alone and is lent every item.
      const first = await open(url, protocol, 'frozen')
      await waitForJoin(run, first, joined)
      await first.waitForSelector('#status[data-status="waiting-for-work"]')
      expect(await first.textContent('#transport')).toBe(shown)
      run.child.stdin.end(seqLines(0, ITEMS, (n) => `${n}:${HOLD_MS}`))
      await first.waitForSelector('#status[data-status="working"]')

      // Frozen while it holds them: the root hears nothing from it any more and drops it.
      frozen = await freeze(first)
      await run.waitForStderr(dropped, DROP_TIMEOUT_MS)
      expect(run.stdout(), 'no result before the frozen tab was dropped').toBe('')

      // A second tab, opened once the first is dropped, gets every item and finishes the run (with a Worker
      // per batch, so that it holds them all at once).
      const second = await open(url, protocol, 'second', 2)
      const { code } = await run.exited
      expect(run.stdout()).toBe(seqLines(0, ITEMS))
      expect(code).toBe(0)
      expect(await second.textContent('#transport')).toBe(shown)
      await expect.poll(() => second.textContent('#processed')).toBe(String(ITEMS))
    },
  )
})
