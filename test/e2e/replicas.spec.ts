// Results you can trust from tabs you don't (issue 16), through the real CLI and real Chromium tabs: one tab
// runs a tampered bundle (its Worker answers 42 to everything). With --replicas 2 the output is exact, the
// liar is outvoted, excluded and named on stderr, and the run exits 0; over both transports.
import path from 'node:path'
import { WORKER_MODULE_GLOBAL } from '@pando/protocol'
import type { Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { PRINTED_URL, seqLines, startPando, type PandoRun } from '../support/pando-process.ts'
import { launchVolunteerBrowser, type VolunteerBrowser } from '../support/volunteer-browser.ts'

const FIXTURE = path.join('test', 'e2e', 'fixtures', 'square-50ms.cjs')
const ITEMS = 60

/** What the tampered bundle adds after the real one: a processing function that lies. */
const TAMPERING = `\n;self[${JSON.stringify(WORKER_MODULE_GLOBAL)}] = { default: async () => 42 }\n`

const TRANSPORTS = ['websocket', 'webrtc'] as const

describe('--replicas 2 with a tab running a tampered bundle', () => {
  let browser: VolunteerBrowser
  let run: PandoRun | undefined

  beforeAll(async () => {
    browser = await launchVolunteerBrowser()
  })
  afterEach(async () => {
    for (const page of browser.context.pages()) await page.close()
    if (run !== undefined && run.child.exitCode === null) run.child.kill('SIGKILL')
    run = undefined
  })
  afterAll(async () => {
    await browser.close()
  })

  /** Opens a tab whose Worker gets the run's bundle with {@link TAMPERING} appended. */
  async function openLiar(url: string, protocol: string): Promise<Page> {
    const page = await browser.context.newPage()
    await page.route(/\/run\/bundle\.js/, async (route) => {
      const response = await route.fetch()
      await route.fulfill({ response, body: (await response.text()) + TAMPERING })
    })
    await page.goto(`${url}#protocol=${protocol};device=liar;`)
    return page
  }

  it.each(TRANSPORTS)(
    'over %s: exact output, the liar excluded and named, exit 0',
    async (protocol) => {
      run = startPando([FIXTURE, '--stdin', '--port', '0', '--replicas', '2', '--ice-addresses', 'loopback'])
      const [url = ''] = await run.waitForStderr(PRINTED_URL)
      // The liar first, so that it is lent copies before the honest tabs take them all.
      await openLiar(url, protocol)
      await run.waitForStderr(/joined \(1 connected\)/, 60_000)
      for (const device of ['honest-1', 'honest-2', 'honest-3'])
        await browser.open(`${url}#protocol=${protocol};device=${device};`)
      await run.waitForStderr(/joined \(4 connected\)/, 60_000)
      run.child.stdin.end(seqLines(0, ITEMS - 1))

      const result = await run.exited
      expect(result.stdout).toBe(seqLines(0, ITEMS - 1, (n) => String(n * n)))
      expect(result.code).toBe(0)
      expect(result.stderr).toMatch(
        /pando: volunteer '[^']+' is excluded: its results were outvoted on \d+ items and agreed on 0; what it held is computed by others/,
      )
      // Only the liar: no honest tab is ever outvoted.
      expect(result.stderr).not.toMatch(/agreed on [1-9]\d*; what it held/)
    },
    180_000,
  )

  it('--spot-check 1 over websocket: this process checks every item, the liar is caught and excluded at once, exact output, exit 0', async () => {
    run = startPando([FIXTURE, '--stdin', '--port', '0', '--spot-check', '1', '--ice-addresses', 'loopback'])
    const [url = ''] = await run.waitForStderr(PRINTED_URL)
    await openLiar(url, 'websocket')
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
    run = startPando([FIXTURE, '--stdin', '--port', '0', '--replicas', 'auto', '--ice-addresses', 'loopback'])
    const [url = ''] = await run.waitForStderr(PRINTED_URL)
    await openLiar(url, 'websocket')
    await run.waitForStderr(/joined \(1 connected\)/, 60_000)
    for (const device of ['honest-1', 'honest-2', 'honest-3'])
      await browser.open(`${url}#protocol=websocket;device=${device};`)
    await run.waitForStderr(/joined \(4 connected\)/, 60_000)
    run.child.stdin.end(seqLines(0, ITEMS - 1))

    const result = await run.exited
    expect(result.stdout).toBe(seqLines(0, ITEMS - 1, (n) => String(n * n)))
    expect(result.code).toBe(0)
    expect(result.stderr).toMatch(
      /pando: volunteer '[^']+' is excluded: its results were outvoted on \d+ items and agreed on 0; what it held is computed by others/,
    )
    expect(result.stderr).not.toMatch(/agreed on [1-9]\d*; what it held/)
  }, 180_000)
})
