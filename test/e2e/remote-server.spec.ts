import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  PANDO_SERVER,
  PRINTED_URL,
  seqLines,
  startPando,
  waitForServer,
  type PandoRun,
} from '../../harness/pando-process.ts'
import { launchVolunteerBrowser, type VolunteerBrowser } from '../../harness/volunteer-browser.ts'

const SECRET = 'e2e-secret-of-the-server'
const ITEMS = 600

async function text(page: Page, selector: string): Promise<string> {
  return (await page.textContent(selector))?.trim() ?? ''
}

/** Resolves once the page shows a depth: it has a place under the root, by either transport. */
async function joined(page: Page): Promise<void> {
  await page.waitForFunction(() => Number(document.querySelector('#depth')?.textContent) >= 1, undefined, {
    timeout: 30_000,
  })
}

describe('a separate pando-server, with real tabs', () => {
  let browser: VolunteerBrowser
  const runs: PandoRun[] = []

  beforeAll(async () => {
    browser = await launchVolunteerBrowser()
  })
  afterAll(async () => {
    await browser.close()
    for (const run of runs) if (run.child.exitCode === null) run.child.kill('SIGKILL')
  })

  it('runs through it: three tabs in the WebRTC tree and one on the tunnelled WebSocket', async () => {
    const env = { PANDO_SECRET: SECRET }
    const server = startPando(['--port', '0', '--ice-addresses', 'loopback', '--heartbeat', '1000'], {
      bin: PANDO_SERVER,
      env,
    })
    runs.push(server)
    const { port, token } = await waitForServer(server)
    const root = startPando(
      [
        'examples/square-delay.js',
        '--stdin',
        '--host',
        `localhost:${port}`,
        '--ice-addresses',
        'loopback',
        '--batch-size',
        '4',
        '--heartbeat',
        '1000',
        '--bootstrap-timeout',
        '5000',
      ],
      { env },
    )
    runs.push(root)
    // The root prints the URL it was given, with the server's token (sent to it in the welcome).
    const [url = ''] = await root.waitForStderr(PRINTED_URL)
    expect(url).toBe(`http://localhost:${port}/?token=${token}`)

    const tabs = await Promise.all([1, 2, 3].map((n) => browser.open(url, `tab-${n}`)))
    const websocketTab = await browser.open(`${url}#protocol=websocket&device=ws-tab`)
    await Promise.all([...tabs, websocketTab].map(joined))
    expect(await Promise.all(tabs.map((tab) => text(tab, '#transport')))).toEqual([
      'WebRTC',
      'WebRTC',
      'WebRTC',
    ])
    expect(await text(websocketTab, '#transport')).toBe('WebSocket')
    // One wording and one count for both transports: each is named, and the fourth, whichever, says 4.
    for (const name of ['tab-1', 'tab-2', 'tab-3', 'ws-tab']) {
      await root.waitForStderr(new RegExp(`volunteer '${name}' joined \\(\\d connected\\)`))
    }
    expect(root.stderr()).toMatch(/volunteer '(tab-\d|ws-tab)' joined \(4 connected\)/)

    root.child.stdin.end(seqLines(0, ITEMS))
    const result = await root.exited
    expect(result.stdout).toBe(seqLines(0, ITEMS, (n) => String(n * n)))
    expect(result.code).toBe(0)
    // A normal end is no alarm: the volunteers that the end of the run disconnects are no news (a tab may
    // still leave and rejoin during the run, which is).
    expect(result.stderr).not.toMatch(/lost|the run is over/)
    for (const page of [...tabs, websocketTab]) {
      const id = await text(page, '#volunteer-id')
      await expect
        .poll(async () => Number(await text(page, '#processed')), { message: id })
        .toBeGreaterThan(0)
    }
    await server.waitForStderr(/the root from 127\.0\.0\.1 left: the run is over/)
    expect(server.stderr()).not.toContain(SECRET)
    expect(result.stderr).not.toContain(SECRET)
  })

  it('keeps a tab opened before any root waiting, and puts it to work once one registers', async () => {
    const env = { PANDO_SECRET: SECRET }
    const server = startPando(['--port', '0', '--ice-addresses', 'loopback'], { bin: PANDO_SERVER, env })
    runs.push(server)
    const { port, url } = await waitForServer(server)
    const early = await browser.open(url, 'early')
    // No run yet: the page waits for one (its config answers 503), with no warning, until a root registers.
    await early.waitForSelector('#status[data-status="waiting-for-run"]', { timeout: 15_000 })
    expect(await early.isHidden('#message')).toBe(true)
    const root = startPando(
      ['examples/square-delay.js', '--stdin', '--host', `localhost:${port}`, '--ice-addresses', 'loopback'],
      { env },
    )
    runs.push(root)
    // It joins the tree, not the WebSocket fallback: waiting was no failure.
    await root.waitForStderr(/volunteer 'early' joined \(1 connected\)/, 30_000)
    root.child.stdin.end(seqLines(0, 100))
    const result = await root.exited
    expect(result.stdout).toBe(seqLines(0, 100, (n) => String(n * n)))
    expect(result.code).toBe(0)
    await expect.poll(async () => Number(await text(early, '#processed'))).toBe(100)
  })
})
