// A tab that loses its root says so, and says the run finished only when it knows: through the real CLI
// (and a real pando-server) and real Chromium tabs. The tab's network is cut by the test (its WebSocket and
// its requests fail, as on a network that went away), mid-run and at the end of a run; screenshots of the
// "cannot reach" state go to test-results/unreachable-root/.
import path from 'node:path'
import type { Page, WebSocketRoute } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { PANDO_SERVER, PRINTED_URL, ROOT, seqLines, waitForServer } from '../../harness/pando-process.ts'
import type { VolunteerBrowser } from '../../harness/volunteer-browser.ts'
import { useVolunteerBrowser } from '../support/volunteer-rig.ts'
import {
  readPageView,
  recordStatuses,
  screenshotAndMeasure,
  statusHistory,
  waitForStatus,
  waitForStatusSeen,
} from '../support/volunteer-page-view.ts'

const SCREENSHOTS = path.join(ROOT, 'test-results', 'unreachable-root')
const SECRET = 'e2e-secret-of-the-unreachable-root-test'
const MODULE = 'examples/square-delay.js'
/** Slow enough items that the run goes on for a while, and a tab is seen working. */
const ENV = { SQUARE_DELAY_MS: '100' }
const ROOT_ARGS = ['--batch-size', '2', '--reporting-interval', '1'] as const
const FINISHED_TEXT = 'The run is finished — thank you. You may close this tab.'
const UNREACHABLE_LABEL = 'Cannot reach the computation'
const UNREACHABLE_TEXT =
  'The computer that runs this computation cannot be reached right now. This tab keeps trying, and rejoins by itself when it is back.'

const squares = (from: number, to: number): string => seqLines(from, to, (n) => String(n * n))

/** A tab whose network the test cuts and restores: its `/volunteer` socket and its run config requests. */
interface CuttableTab {
  readonly page: Page
  /**
   * Closes its socket (both ends), and fails every later socket, and config request unless `socketOnly`,
   * until `restore`.
   */
  cut(socketOnly?: boolean): Promise<void>
  restore(): void
  /** How many run config requests it made with its network up (the page asks while it reconnects). */
  configRequests(): number
}

async function openCuttableTab(browser: VolunteerBrowser, url: string): Promise<CuttableTab> {
  const page = await browser.context.newPage()
  await recordStatuses(page)
  let cut: 'none' | 'all' | 'socket' = 'none'
  let link: { page: WebSocketRoute; server: WebSocketRoute } | undefined
  let configRequests = 0
  await page.routeWebSocket(/\/volunteer/, (socket) => {
    if (cut !== 'none') {
      void socket.close({ code: 1001, reason: 'network down' })
      return
    }
    link = { page: socket, server: socket.connectToServer() }
  })
  await page.route(/\/run\/config\.json/, (route) => {
    if (cut === 'all') return route.abort('internetdisconnected')
    configRequests++
    return route.continue()
  })
  await page.goto(url)
  return {
    page,
    async cut(socketOnly = false) {
      cut = socketOnly ? 'socket' : 'all'
      await link?.page.close({ code: 1001, reason: 'network down' })
      await link?.server.close({ code: 1001, reason: 'network down' })
    },
    restore() {
      cut = 'none'
    },
    configRequests: () => configRequests,
  }
}

/** Resolves with the status once the page says it cannot reach the root, or (wrongly) that the run finished. */
async function unreachableOrFinished(page: Page): Promise<string> {
  await page.waitForSelector('#status[data-status="root-unreachable"], #status[data-status="finished"]', {
    timeout: 15_000,
  })
  return (await readPageView(page)).status
}

/** The tab's "cannot reach" state, read, with screenshots at both sizes checked for anything cut off. */
async function expectUnreachableView(page: Page, name: string): Promise<void> {
  const view = await readPageView(page)
  expect(view.status).toBe('root-unreachable')
  expect(view.label).toBe(UNREACHABLE_LABEL)
  expect(view.detail).toBe(UNREACHABLE_TEXT)
  expect(view.note).toBe('')
  expect(view.message).toBeUndefined()
  expect(view.text).not.toMatch(/finished|thank you|reconnecting|closed the connection/i)
  for (const viewport of ['phone', 'desktop'] as const) {
    const layout = await screenshotAndMeasure(page, viewport, SCREENSHOTS, name)
    expect(layout.scrollWidth, layout.file).toBeLessThanOrEqual(layout.innerWidth)
    expect(layout.clipped, layout.file).toEqual([])
  }
}

async function expectFinishedView(page: Page): Promise<void> {
  await waitForStatus(page, 'finished', 15_000)
  const view = await readPageView(page)
  expect(view.label).toBe('Finished')
  expect(view.detail).toBe(FINISHED_TEXT)
  expect(view.message).toBeUndefined()
}

describe('a tab that cannot reach its root', () => {
  const { browser, startPando } = useVolunteerBrowser()

  it('says so while its network is down mid-run, never that the run finished, then works again and says finished at the end', async () => {
    const root = startPando([MODULE, '--stdin', '--port', '0', ...ROOT_ARGS], { env: ENV })
    const [url = ''] = await root.waitForStderr(PRINTED_URL)
    const ada = await openCuttableTab(browser, `${url}#protocol=websocket;device=Ada`)
    // Grace's tab keeps computing over the WebRTC tree: the run goes on while Ada is cut off.
    await browser.open(`${url}#device=Grace`)
    await root.waitForStderr(/volunteer 'Ada' joined/, 30_000)
    await root.waitForStderr(/volunteer 'Grace' joined/, 30_000)
    root.child.stdin.write(seqLines(0, 20))
    await waitForStatusSeen(ada.page, 'working')

    await ada.cut()
    expect(await unreachableOrFinished(ada.page)).toBe('root-unreachable')
    await expectUnreachableView(ada.page, 'mid-run')
    const before = (await readPageView(ada.page)).processed
    // The run goes on without Ada, for seconds: more input, more output.
    root.child.stdin.write(seqLines(20, 40))
    await root.waitForLines(25, 60_000)
    expect((await readPageView(ada.page)).status).toBe('root-unreachable')

    ada.restore()
    // Ada rejoins by herself, and computes again what comes next.
    await ada.page.waitForSelector(
      '#status[data-status="working"], #status[data-status="waiting-for-work"]',
      { timeout: 30_000 },
    )
    root.child.stdin.write(seqLines(40, 80))
    await expect
      .poll(async () => (await readPageView(ada.page)).processed, { timeout: 60_000 })
      .toBeGreaterThan(before)
    root.child.stdin.end(seqLines(80, 100))
    const result = await root.exited
    expect(result.stdout).toBe(squares(0, 100))
    expect(result.code).toBe(0)

    await expectFinishedView(ada.page)
    const history = await statusHistory(ada.page)
    expect(history).toContain('root-unreachable')
    // "Finished" only once, at the real end, after the tab worked again.
    expect(history.indexOf('finished')).toBe(history.length - 1)
    expect(history.slice(history.lastIndexOf('root-unreachable'))).toContain('working')
  })

  it('over the WebRTC tree: a root that stalls for seconds (SIGSTOP) is said out of reach, never finished; the tab rejoins when it resumes', async () => {
    const root = startPando([MODULE, '--stdin', '--port', '0', ...ROOT_ARGS, '--heartbeat', '500'], {
      env: ENV,
    })
    const [url = ''] = await root.waitForStderr(PRINTED_URL)
    const ada = await browser.context.newPage()
    await recordStatuses(ada)
    await ada.goto(`${url}#protocol=webrtc;device=Ada`)
    await root.waitForStderr(/volunteer 'Ada' joined/, 30_000)
    root.child.stdin.write(seqLines(0, 20))
    await waitForStatusSeen(ada, 'working')
    // The root's process stops: its links, its server, its signaling all stall, with no close.
    root.child.kill('SIGSTOP')
    try {
      await waitForStatus(ada, 'root-unreachable', 30_000)
      expect((await readPageView(ada)).detail).toBe(UNREACHABLE_TEXT)
    } finally {
      root.child.kill('SIGCONT')
    }
    await ada.waitForSelector('#status[data-status="working"], #status[data-status="waiting-for-work"]', {
      timeout: 60_000,
    })
    root.child.stdin.end(seqLines(20, 40))
    const result = await root.exited
    expect(result.stdout).toBe(squares(0, 40))
    expect(result.code).toBe(0)
    await expectFinishedView(ada)
    const history = await statusHistory(ada)
    expect(history).toContain('root-unreachable')
    expect(history.indexOf('finished')).toBe(history.length - 1)
  })

  it('whose own root exited while it was cut off says it cannot reach it, not that the run finished', async () => {
    const root = startPando([MODULE, '--stdin', '--port', '0', ...ROOT_ARGS], { env: ENV })
    const [url = ''] = await root.waitForStderr(PRINTED_URL)
    const ada = await openCuttableTab(browser, `${url}#protocol=websocket;device=Ada`)
    const grace = await browser.open(`${url}#protocol=websocket;device=Grace`)
    await root.waitForStderr(/volunteer 'Ada' joined/, 30_000)
    await root.waitForStderr(/volunteer 'Grace' joined/, 30_000)
    root.child.stdin.write(seqLines(0, 30))
    await waitForStatusSeen(ada.page, 'working')
    await ada.cut()
    root.child.stdin.end(seqLines(30, 60))
    const result = await root.exited
    expect(result.stdout).toBe(squares(0, 60))
    expect(result.code).toBe(0)
    await expectFinishedView(grace)

    // Ada never heard the end, and the server that could say it is gone with its root: all she can know is
    // that it cannot be reached. Her network back, the root is still gone.
    expect(await unreachableOrFinished(ada.page)).toBe('root-unreachable')
    const asked = ada.configRequests()
    ada.restore()
    // She asks for the run again with her network back (every RUN_WATCH_INTERVAL_MS), and again.
    await expect.poll(() => ada.configRequests(), { timeout: 30_000 }).toBeGreaterThanOrEqual(asked + 2)
    await expectUnreachableView(ada.page, 'root-exited')
    expect(await statusHistory(ada.page)).not.toContain('finished')
  })

  it('with pando-server: a tab cut off when the run ends learns from the server that it finished', async () => {
    const env = { PANDO_SECRET: SECRET, ...ENV }
    const server = startPando(['--port', '0', '--ice-addresses', 'loopback'], { bin: PANDO_SERVER, env })
    const { port, url } = await waitForServer(server)
    const root = startPando(
      [MODULE, '--stdin', '--host', `localhost:${port}`, '--ice-addresses', 'loopback', ...ROOT_ARGS],
      { env },
    )
    await root.waitForStderr(PRINTED_URL, 30_000)
    const ada = await openCuttableTab(browser, `${url}#protocol=websocket;device=Ada`)
    const grace = await browser.open(`${url}#protocol=websocket;device=Grace`)
    await root.waitForStderr(/volunteer 'Ada' joined/, 30_000)
    await root.waitForStderr(/volunteer 'Grace' joined/, 30_000)
    root.child.stdin.write(seqLines(0, 30))
    await waitForStatusSeen(ada.page, 'working')
    // Only Ada's socket is cut: she can still ask the server, which serves the run while its root is there.
    await ada.cut(true)
    root.child.stdin.end(seqLines(30, 60))
    const result = await root.exited
    expect(result.stdout).toBe(squares(0, 60))
    expect(result.code).toBe(0)
    await server.waitForStderr(/the root from 127\.0\.0\.1 left: the run is over/)

    await expectFinishedView(grace)
    await expectFinishedView(ada.page)
    // Long enough for a page that would go back to reconnecting to have tried.
    await new Promise((resolve) => setTimeout(resolve, 3_000))
    expect((await readPageView(ada.page)).status).toBe('finished')
    expect(await statusHistory(ada.page)).not.toContain('root-unreachable')
  })
})
