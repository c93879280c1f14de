// The volunteer page in real Chromium, against a stand-in root (root-harness.ts). The page is built from the
// current sources into a temporary directory, and the module is bundled with @pando/bundler.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { bundleModule } from '@pando/bundler'
import {
  CLOSE_PROTOCOL_ERROR,
  CLOSE_RUN_FINISHED,
  CLOSE_TRY_AGAIN_LATER,
  DEFAULT_REPORTING_INTERVAL_MS,
  NO_RUN_REASON,
  RUN_FINISHED_REASON,
  VOLUNTEER_PROTOCOL_VERSION,
  type RunConfig,
  type VolunteerReport,
} from '@pando/protocol'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium } from '../../../harness/chromium.ts'
import { buildPage } from '../../../harness/page-build.ts'
import { createVolunteerConfig } from '../../../webpack.config.ts'
import { RootHarness, type VolunteerSocket } from './root-harness.ts'
import { BUSY_VIEW_INTERVAL } from '../src/constants.ts'

const REPORTING_CONFIG: RunConfig = {
  protocolVersion: VOLUNTEER_PROTOCOL_VERSION,
  bundleUrl: '/bundles/good/bundle.js',
  moduleName: 'test-module.cjs',
  degree: 2,
  bootstrapTimeoutMs: 5_000,
  heartbeatMs: 2_000,
  batchSize: 4,
  reportingIntervalMs: 200,
  itemTimeoutMs: 60_000,
  iceServers: [],
}

/** Under /deadline/ the page finds a run config with a short item deadline. */
const DEADLINE_CONFIG: RunConfig = { ...REPORTING_CONFIG, itemTimeoutMs: 1_000 }

const FINISHED_TEXT = 'The run is finished — thank you. You may close this tab.'

const fixture = (name: string): string => path.join(import.meta.dirname, 'fixtures', name)

describe('volunteer page', { timeout: 15_000 }, () => {
  let work: string
  let root: RootHarness
  let browser: Browser
  let context: BrowserContext
  const pages: Page[] = []

  beforeAll(async () => {
    work = await mkdtemp(path.join(tmpdir(), 'pando-volunteer-test-'))
    const [launched] = await Promise.all([
      launchChromium(),
      buildPage(createVolunteerConfig({ outDir: path.join(work, 'page'), mode: 'development' })),
      bundleModule({ modulePath: fixture('test-module.cjs'), outDir: path.join(work, 'bundles', 'good') }),
      bundleModule({ modulePath: fixture('no-function.cjs'), outDir: path.join(work, 'bundles', 'bad') }),
    ])
    browser = launched
    context = await browser.newContext()
    // Under /reporting/ the page finds a run config, for its reporting interval.
    await mkdir(path.join(work, 'run'))
    await writeFile(path.join(work, 'run', 'config.json'), JSON.stringify(REPORTING_CONFIG))
    await mkdir(path.join(work, 'deadline-run'))
    await writeFile(path.join(work, 'deadline-run', 'config.json'), JSON.stringify(DEADLINE_CONFIG))
    root = await RootHarness.start({
      '/': path.join(work, 'page'),
      '/bundles/': path.join(work, 'bundles'),
      '/reporting/': path.join(work, 'page'),
      '/reporting/run/': path.join(work, 'run'),
      '/deadline/': path.join(work, 'page'),
      '/deadline/run/': path.join(work, 'deadline-run'),
    })
  }, 60_000)

  afterEach(async () => {
    await Promise.all(pages.splice(0).map((page) => page.close()))
  })

  afterAll(async () => {
    await browser?.close()
    await root?.close()
    if (work !== undefined) await rm(work, { recursive: true, force: true })
  })

  /** Opens the page at `hash`, with `initScript` run before its own scripts when given. */
  async function open(hash: string, initScript?: string): Promise<Page> {
    const page = await context.newPage()
    pages.push(page)
    if (initScript !== undefined) await page.addInitScript(initScript)
    await page.goto(`${root.origin}/${hash}`)
    return page
  }

  /**
   * Waits for the tab `name` to connect (again, after a close) and welcomes it as `volunteerId`, to run the
   * module at `bundleUrl` (relative to the page unless it starts with /) named `moduleName`.
   */
  async function welcomed(
    name: string,
    volunteerId: string,
    { bundleUrl = 'bundles/good/bundle.js', moduleName = 'test-module.cjs' } = {},
  ): Promise<VolunteerSocket> {
    const socket = await root.connection(name)
    socket.send({ type: 'welcome', volunteerId, config: { bundleUrl, moduleName } })
    return socket
  }

  /** Opens a page named `name`, answers its hello, and returns both ends. */
  async function join(
    name: string,
    bundle = 'good',
    initScript?: string,
  ): Promise<{ page: Page; socket: VolunteerSocket }> {
    const page = await open(`#device=${name}`, initScript)
    const socket = await welcomed(name, `id-${name}`, {
      bundleUrl: `bundles/${bundle}/bundle.js`,
      moduleName: `${bundle}.cjs`,
    })
    return { page, socket }
  }

  it('says hello with the device name from the URL hash, and shows it', async () => {
    const page = await open('#protocol=ws;device=Alice_Laptop;')
    const socket = await root.connection('Alice Laptop')
    // By default, one Worker less than the machine's cores, at least one.
    const cores = await page.evaluate(() => navigator.hardwareConcurrency)
    expect(socket.messages[0]).toEqual({
      type: 'hello',
      protocolVersion: VOLUNTEER_PROTOCOL_VERSION,
      deviceName: 'Alice Laptop',
      workers: Math.max(1, cores - 1),
    })
    expect(await page.inputValue('#device-name')).toBe('Alice Laptop')
    expect(await page.textContent('#status')).toBe('Joining')
    expect(await page.getAttribute('#status', 'data-status')).toBe('joining')
  })

  it('says in its hello the Workers #workers=N asks for, and shows them in its controls', async () => {
    const page = await open('#protocol=ws;device=Three;workers=3;')
    const socket = await root.connection('Three')
    expect(socket.messages[0]).toMatchObject({ type: 'hello', deviceName: 'Three', workers: 3 })
    expect(await page.inputValue('#workers')).toBe('3')
    expect(await page.inputValue('#cpu-limit')).toBe('100')
    expect(await page.textContent('#pause')).toBe('Pause')
  })

  it('answers jobs by id, an item that throws included, and keeps the connection', async () => {
    const { page, socket } = await join('Worker')
    socket.send({
      type: 'jobs',
      jobs: [
        { id: 0, value: '3' },
        { id: 1, value: 'throw' },
        { id: 2, value: '4' },
      ],
    })
    const first = await socket.outcomes([0, 1, 2])
    expect(first.get(0)).toEqual({ id: 0, ok: true, result: '9' })
    expect(first.get(2)).toEqual({ id: 2, ok: true, result: '16' })
    expect(first.get(1)).toMatchObject({
      id: 1,
      ok: false,
      error: { name: 'Error', message: 'bad item: throw' },
    })

    socket.send({ type: 'jobs', jobs: [{ id: 3, value: '5' }] })
    expect((await socket.outcomes([3])).get(3)).toEqual({ id: 3, ok: true, result: '25' })
    await expect.poll(() => page.textContent('#processed')).toBe('4')
    expect(await page.textContent('#failed')).toBe('1')
    expect(await page.textContent('#volunteer-id')).toBe('id-Worker')
    // No run/config.json here: the page fell back to the WebSocket at once.
    expect(await page.textContent('#transport')).toBe('WebSocket')
    expect(await page.textContent('#depth')).toBe('1')
    // Handed nothing more: waiting for work, not "idle".
    await expect.poll(() => page.textContent('#status')).toBe('Waiting for work')
    expect(await page.textContent('#module-name')).toBe('good.cjs')
    expect(await page.textContent('#throughput')).toMatch(/^\d+(\.\d+)? items\/s$/)
  })

  it('runs the jobs of a batch concurrently', async () => {
    const { socket } = await join('Overlap')
    const jobs = [0, 1, 2, 3, 4].map((id) => ({ id, value: 'slow:1000' }))
    const start = Date.now()
    socket.send({ type: 'jobs', jobs })
    await socket.outcomes([0, 1, 2, 3, 4])
    // One after the other would take 5 s; together, 1 s and whatever a busy machine adds.
    expect(Date.now() - start).toBeLessThan(4_000)
  })

  it("sends a batch's last outcome with the Worker's reply, not in a progress message of its own", async () => {
    // Records the ids of the outcomes each progress message of the Worker (`pando:progress`) carries.
    const recordProgress = `(() => {
      window.__progressIds = []
      const PageWorker = window.Worker
      window.Worker = class extends PageWorker {
        constructor(...args) {
          super(...args)
          this.addEventListener('message', (event) => {
            if (event.data && event.data.type === 'pando:progress') {
              window.__progressIds.push(...Array.from(event.data.outcomes.ids))
            }
          })
        }
      }
    })()`
    const { page, socket } = await join('Reply', 'good', recordProgress)
    const progressIds = async (): Promise<number[]> => await page.evaluate<number[]>('window.__progressIds')
    // One item of 300 ms: it settles more than PROGRESS_INTERVAL_MS after its batch began, and is the last.
    socket.send({ type: 'jobs', jobs: [{ id: 0, value: 'slow:300' }] })
    expect((await socket.outcomes([0])).get(0)).toEqual({ id: 0, ok: true, result: 'slept' })
    expect(await progressIds()).toEqual([])
    // Two such items: the first settles in a progress message, the last with the reply.
    socket.send({
      type: 'jobs',
      jobs: [
        { id: 1, value: 'slow:150' },
        { id: 2, value: 'slow:300' },
      ],
    })
    const outcomes = await socket.outcomes([1, 2])
    expect([outcomes.get(1)?.ok, outcomes.get(2)?.ok]).toEqual([true, true])
    expect(await progressIds()).toEqual([1])
  })

  it('fails the batch of a Worker that throws an uncaught error, then carries on with a new one', async () => {
    const { socket } = await join('Crash')
    socket.send({ type: 'jobs', jobs: [{ id: 0, value: 'crash' }] })
    expect((await socket.outcomes([0])).get(0)).toMatchObject({
      ok: false,
      error: { name: 'WorkerCrashError', message: expect.stringContaining('uncaught in the Worker') },
    })
    socket.send({ type: 'jobs', jobs: [{ id: 1, value: '6' }] })
    expect((await socket.outcomes([1])).get(1)).toEqual({ id: 1, ok: true, result: '36' })
  })

  it('fails an item stuck in an endless loop after the item deadline, replaces the Worker and goes on', async () => {
    const page = await open('deadline/#protocol=websocket;device=Stuck;')
    let workers = 0
    page.on('worker', () => (workers += 1))
    const socket = await welcomed('Stuck', 'id-Stuck', { bundleUrl: '/bundles/good/bundle.js' })
    socket.send({ type: 'jobs', jobs: [{ id: 0, value: 'loop' }] })
    const start = Date.now()
    expect((await socket.outcomes([0])).get(0)).toEqual({
      id: 0,
      ok: false,
      error: {
        name: 'ItemTimeoutError',
        message:
          'no result within the item deadline of 1000 ms (--item-timeout): the Worker was stopped and replaced',
      },
    })
    expect(Date.now() - start).toBeGreaterThanOrEqual(1_000)
    // The stuck item with others: they come out right, only it fails.
    socket.send({
      type: 'jobs',
      jobs: [
        { id: 1, value: '6' },
        { id: 2, value: 'loop' },
        { id: 3, value: 'slow:10' },
        { id: 4, value: '7' },
      ],
    })
    const outcomes = await socket.outcomes([1, 2, 3, 4], 10_000)
    expect(outcomes.get(1)).toEqual({ id: 1, ok: true, result: '36' })
    expect(outcomes.get(2)).toMatchObject({ ok: false, error: { name: 'ItemTimeoutError' } })
    expect(outcomes.get(3)).toEqual({ id: 3, ok: true, result: 'slept' })
    expect(outcomes.get(4)).toEqual({ id: 4, ok: true, result: '49' })
    socket.send({ type: 'jobs', jobs: [{ id: 5, value: '8' }] })
    expect((await socket.outcomes([5])).get(5)).toEqual({ id: 5, ok: true, result: '64' })
    await expect.poll(() => page.textContent('#timed-out')).toBe('2')
    expect(await page.textContent('#failed')).toBe('2')
    await expect.poll(() => page.textContent('#processed')).toBe('6')
    // The first Worker, and a new one after each of the three missed deadlines (the batch's, then item 2's).
    expect(workers).toBe(4)
    // Terminated ones are gone, stuck in their loops or not.
    await expect.poll(() => page.workers().length, { timeout: 5_000 }).toBe(1)
  })

  it('answers every job with the load error of a module that exports no function', async () => {
    const { page, socket } = await join('BadModule', 'bad')
    socket.send({ type: 'jobs', jobs: [{ id: 0, value: '1' }] })
    expect((await socket.outcomes([0])).get(0)).toMatchObject({
      ok: false,
      error: {
        name: 'ModuleContractError',
        message: expect.stringContaining('exports no processing function'),
      },
    })
    await expect.poll(() => page.textContent('#message')).toContain('could not be loaded')
  })

  it('reconnects after the root closes the socket, and works again', async () => {
    const { page, socket } = await join('Phoenix')
    socket.send({ type: 'jobs', jobs: [{ id: 0, value: '2' }] })
    await socket.outcomes([0])
    socket.socket.terminate()
    await expect.poll(() => page.textContent('#status')).toBe('Reconnecting')
    expect(await page.isHidden('#message')).toBe(true)

    const again = await welcomed('Phoenix', 'id-Phoenix-2')
    again.send({ type: 'jobs', jobs: [{ id: 1, value: '7' }] })
    expect((await again.outcomes([1])).get(1)).toEqual({ id: 1, ok: true, result: '49' })
    await expect.poll(() => page.textContent('#processed')).toBe('2')
    expect(await page.textContent('#volunteer-id')).toBe('id-Phoenix-2')
  })

  it('shows the reason the root gives for refusing it', async () => {
    const { page, socket } = await join('Refused')
    socket.send({ type: 'error', reason: 'protocol version 0 is not supported' })
    socket.socket.close(CLOSE_PROTOCOL_ERROR, 'protocol version 0 is not supported')
    await expect.poll(() => page.textContent('#message')).toContain('protocol version 0 is not supported')
  })

  it('shows the run: its module, where it comes from, and its progress as the root sends it', async () => {
    const { page, socket } = await join('Watcher')
    await expect.poll(() => page.textContent('#module-name')).toBe('good.cjs')
    expect(await page.textContent('#run-host')).toBe(new URL(root.origin).host)
    expect(await page.textContent('#run-progress')).toBe('No figures yet')
    socket.send({ type: 'progress', done: 1234, total: null })
    await expect.poll(() => page.textContent('#run-progress')).toBe('1,234 items done')
    socket.send({ type: 'progress', done: 1500, total: 2000 })
    await expect.poll(() => page.textContent('#run-progress')).toBe('1,500 of 2,000 items done')
    expect(await page.getAttribute('#run-progress-bar', 'value')).toBe('1500')
  })

  it('shows the run progress at most every BUSY_VIEW_INTERVAL, the latest, and writes nothing unchanged', async () => {
    const { page, socket } = await join('Calm')
    await expect.poll(() => page.textContent('#module-name')).toBe('good.cjs')
    // Counts each task (a MutationObserver callback) that changed the progress, and each text written.
    await page.evaluate(`(() => {
      const shown = document.getElementById('run-progress')
      window.__progressWrites = { tasks: 0, texts: [] }
      new MutationObserver(() => {
        window.__progressWrites.tasks += 1
        window.__progressWrites.texts.push(shown.textContent)
      }).observe(shown, { childList: true, characterData: true, subtree: true })
    })()`)
    const started = performance.now()
    for (let done = 1; done <= 40; done++) {
      socket.send({ type: 'progress', done, total: 40 })
      await new Promise((resolve) => setTimeout(resolve, 25))
    }
    await expect.poll(() => page.textContent('#run-progress')).toBe('40 of 40 items done')
    const elapsed = performance.now() - started
    // The same figures again: nothing to write.
    for (let i = 0; i < 5; i++) socket.send({ type: 'progress', done: 40, total: 40 })
    await new Promise((resolve) => setTimeout(resolve, 2 * BUSY_VIEW_INTERVAL))
    const writes = await page.evaluate<{ tasks: number; texts: string[] }>('window.__progressWrites')
    // 40 progress messages over `elapsed` ms (a second, or more on a loaded machine): at most one write per
    // interval, plus the first (shown at once) and the last.
    expect(writes.tasks).toBeLessThanOrEqual(Math.ceil(elapsed / BUSY_VIEW_INTERVAL) + 2)
    expect(writes.tasks).toBeLessThan(40)
    expect(writes.texts.at(-1)).toBe('40 of 40 items done')
    expect(writes.texts.filter((text) => text === '40 of 40 items done')).toHaveLength(1)
    expect(await page.getAttribute('#run-progress-bar', 'value')).toBe('40')
  })

  it('says the run is finished when closed with CLOSE_RUN_FINISHED, and joins the next run quietly', async () => {
    const { page, socket } = await join('Done')
    socket.send({ type: 'jobs', jobs: [{ id: 0, value: '2' }] })
    await socket.outcomes([0])
    socket.socket.close(CLOSE_RUN_FINISHED, RUN_FINISHED_REASON)
    await expect.poll(() => page.textContent('#status')).toBe('Finished')
    expect(await page.textContent('#status-detail')).toBe(FINISHED_TEXT)
    expect(await page.isHidden('#message')).toBe(true)
    // It comes back in case another run starts here; a close that is no run yet leaves it finished.
    const between = await root.connection('Done')
    between.socket.close(CLOSE_TRY_AGAIN_LATER, NO_RUN_REASON)
    const next = await root.connection('Done')
    expect(await page.textContent('#status')).toBe('Finished')
    next.send({
      type: 'welcome',
      volunteerId: 'id-Done-2',
      config: { bundleUrl: 'bundles/good/bundle.js', moduleName: 'next.cjs' },
    })
    await expect.poll(() => page.textContent('#status')).toBe('Waiting for work')
    expect(await page.textContent('#module-name')).toBe('next.cjs')
  })

  it('waits for a run, with no warning, while a pando-server has no root', async () => {
    const page = await open('#device=Early')
    const socket = await root.connection('Early')
    socket.send({ type: 'error', reason: NO_RUN_REASON })
    socket.socket.close(CLOSE_TRY_AGAIN_LATER, NO_RUN_REASON)
    await expect.poll(() => page.textContent('#status')).toBe('Waiting for a run')
    expect(await page.isHidden('#message')).toBe(true)
    // It keeps trying: the next root gets it.
    await welcomed('Early', 'id-Early-2')
    await expect.poll(() => page.textContent('#status')).toBe('Waiting for work')
  })

  it('takes "no run" after being in one for its root gone, not the end of its run nor a new wait', async () => {
    const { page, socket } = await join('Left')
    await expect.poll(() => page.getAttribute('#status', 'data-status')).toBe('waiting-for-work')
    socket.send({ type: 'error', reason: NO_RUN_REASON })
    socket.socket.close(CLOSE_TRY_AGAIN_LATER, NO_RUN_REASON)
    // The harness still serves the run's config: the root is reachable, the tab reconnects to its run.
    await expect.poll(() => page.getAttribute('#status', 'data-status')).toBe('reconnecting')
    expect(await page.isHidden('#message')).toBe(true)
  })

  it('sends its status each interval of the run config, with the figures the module gives report()', async () => {
    const page = await open('reporting/#protocol=websocket;device=Reporter;')
    const socket = await welcomed('Reporter', 'id-Reporter', { bundleUrl: '/bundles/good/bundle.js' })
    // The module calls report({ nbItems: 1 }) for numbers only: 'slow:50' and 'throw' are not counted.
    const values = ['1', '2', 'slow:50', 'throw', '3']
    socket.send({ type: 'jobs', jobs: values.map((value, id) => ({ id, value })) })
    await socket.outcomes([0, 1, 2, 3, 4])
    const reports = await socket.until((messages) => {
      // The harness parsed them (parseVolunteerMessage), reports included.
      const found = messages.flatMap((message) =>
        message.type === 'status' ? [(message as unknown as { report: VolunteerReport }).report] : [],
      )
      return found.at(-1)?.processed === 5 ? found : undefined
    })
    const last = reports.at(-1) as VolunteerReport
    expect(last).toMatchObject({
      id: 'id-Reporter',
      deviceName: 'Reporter',
      units: 'items',
      depth: 1,
      parent: null,
      children: 0,
      transport: 'websocket',
      inFlight: 0,
      processed: 5,
      failures: 1,
    })
    expect(reports.reduce((sum, report) => sum + report.nbItems, 0)).toBe(3)
    // Sent on the run config's 200 ms schedule, not the page's default of 3 s: one late tick on a busy machine
    // makes the next interval shorter, so the intervals are judged on average.
    const intervals = reports.map((report) => report.lastReportInterval)
    const mean = intervals.reduce((a, b) => a + b, 0) / intervals.length
    expect(mean).toBeGreaterThanOrEqual(150)
    expect(mean).toBeLessThan(DEFAULT_REPORTING_INTERVAL_MS)
    expect(last.throughputStats.maximum).toBeGreaterThan(0)
    await expect.poll(() => page.textContent('#processed')).toBe('5')
  })

  it('remembers a device name edited on the page', async () => {
    const page = await open('')
    await root.connection(await page.inputValue('#device-name'))
    await page.fill('#device-name', '  Bob  ')
    await page.press('#device-name', 'Enter')
    expect(await page.inputValue('#device-name')).toBe('Bob')
    expect(await page.isVisible('#device-name-saved')).toBe(true)
    await page.reload()
    await root.connection('Bob')
  })

  it('sends an edited device name with its next status report, on the same connection', async () => {
    const page = await open('reporting/#protocol=websocket;device=Before;')
    const socket = await welcomed('Before', 'id-Renamed', { bundleUrl: '/bundles/good/bundle.js' })
    await page.fill('#device-name', 'After')
    await page.press('#device-name', 'Enter')
    const renamed = await socket.until((messages) =>
      messages.some(
        (message) =>
          message.type === 'status' &&
          (message as unknown as { report: VolunteerReport }).report.deviceName === 'After',
      )
        ? true
        : undefined,
    )
    expect(renamed).toBe(true)
  })
})
