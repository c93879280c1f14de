// Volunteer tabs in the WebRTC tree, in real Chromium, with a Node root built from the real parts
// (tree-root.ts). Run inside the loopback-only namespace: `node scripts/loopback-only.mjs npx vitest run …`.
// The tests share one root and one set of tabs, and run in order: the tree they build is what the next
// one works with.
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { bundleModule } from '@pando/bundler'
import { VOLUNTEER_PROTOCOL_VERSION, type RunConfig } from '@pando/protocol'
import type { Settled } from '@pando/scheduler'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium } from '../../../harness/chromium.ts'
import { buildPage } from '../../../harness/page-build.ts'
import { createVolunteerConfig } from '../../../webpack.config.ts'
import { TreeRoot } from './tree-root.ts'

const CONFIG: RunConfig = {
  protocolVersion: VOLUNTEER_PROTOCOL_VERSION,
  bundleUrl: 'run/bundle.js',
  moduleName: 'test-module.cjs',
  degree: 2,
  // Short, so that a rejoin attempt lost on the way (sent towards a tab that just closed) is retried soon.
  bootstrapTimeoutMs: 3_000,
  heartbeatMs: 2_000,
  batchSize: 4,
  reportingIntervalMs: 1_000,
  itemTimeoutMs: 60_000,
  iceServers: [],
}

/** Tabs in the tree: 6 at degree 2 fill two levels below the root. */
const TABS = 6

interface TabState {
  id: string
  transport: string
  depth: string
  parent: string
  children: number
  processed: number
}

function loopbackOnly(): boolean {
  return Object.values(os.networkInterfaces()).every((addresses) =>
    (addresses ?? []).every((address) => address.internal),
  )
}

function tabState(page: Page): Promise<TabState> {
  return page.evaluate(() => {
    const text = (id: string): string => document.getElementById(id)?.textContent ?? ''
    return {
      id: text('volunteer-id'),
      transport: text('transport'),
      depth: text('depth'),
      parent: text('parent-id'),
      children: Number(text('children')),
      processed: Number(text('processed')),
    }
  })
}

const square = (n: number): string => String(n * n)

/** Every item of `ids`, once, in order, with its square (`values[i]` is `n` or `n:delay`). */
function expectExact(output: readonly Settled[], ids: readonly number[], numbers: readonly number[]): void {
  const first = ids[0] ?? 0
  const got = output.slice(first, first + ids.length)
  expect(got.map((settled) => settled.id)).toEqual(ids)
  expect(got.map((settled) => (settled.ok ? settled.result : settled.error.message))).toEqual(
    numbers.map(square),
  )
}

describe('volunteer tabs in the WebRTC tree', { timeout: 90_000 }, () => {
  let work: string
  let root: TreeRoot
  let browser: Browser
  let context: BrowserContext
  const tabs: Page[] = []

  beforeAll(async () => {
    if (!loopbackOnly()) {
      throw new Error('run the WebRTC tests in a loopback-only namespace: node scripts/loopback-only.mjs …')
    }
    work = await mkdtemp(path.join(os.tmpdir(), 'pando-tree-test-'))
    const runDir = path.join(work, 'run')
    const [launched] = await Promise.all([
      launchChromium(),
      buildPage(createVolunteerConfig({ outDir: path.join(work, 'page'), mode: 'development' })),
      bundleModule({
        modulePath: path.join(import.meta.dirname, 'fixtures', 'square-slowly.cjs'),
        outDir: runDir,
      }),
    ])
    browser = launched
    await writeFile(path.join(runDir, 'config.json'), JSON.stringify(CONFIG))
    root = await TreeRoot.start({ mounts: { '/': path.join(work, 'page'), '/run/': runDir }, config: CONFIG })
    context = await browser.newContext()
    await context.grantPermissions(['camera', 'microphone'], { origin: root.origin })
  }, 60_000)

  afterAll(async () => {
    await browser?.close()
    await root?.close()
    if (work !== undefined) await rm(work, { recursive: true, force: true })
  })

  async function open(hash: string): Promise<Page> {
    const page = await context.newPage()
    await page.goto(`${root.origin}/${hash}`)
    return page
  }

  /** Pushes `numbers` (each item `n:delay`) and waits until the root emitted them all. */
  async function run(numbers: readonly number[], delayMs: number): Promise<number[]> {
    const ids = root.push(numbers.map((n) => `${String(n)}:${String(delayMs)}`))
    const output = await root.outputLength((ids.at(-1) ?? 0) + 1)
    expectExact(output, ids, numbers)
    return ids
  }

  const range = (from: number, count: number): number[] => Array.from({ length: count }, (_, i) => from + i)

  it('joins tabs into a tree of degree 2, two levels deep', async () => {
    for (let i = 0; i < TABS; i++) tabs.push(await open(`#device=Tab_${String(i)}`))
    // How fast tabs join is the bench's to measure (`npm run bench -- --only join`), not this test's.
    await expect
      .poll(async () => (await Promise.all(tabs.map(tabState))).every((tab) => tab.depth !== '–'), {
        timeout: 60_000,
      })
      .toBe(true)
    const states = await Promise.all(tabs.map(tabState))
    expect(states.every((tab) => tab.transport === 'WebRTC')).toBe(true)
    expect(root.node.children.length).toBe(2)
    expect(Math.max(...states.map((tab) => Number(tab.depth)))).toBeGreaterThanOrEqual(2)
    expect(states.every((tab) => tab.children <= 2)).toBe(true)
    const ids = new Set(['root', ...states.map((tab) => tab.id)])
    expect(states.every((tab) => ids.has(tab.parent))).toBe(true)
  })

  it('processes every item exactly once, on interior tabs too', async () => {
    await run(range(0, 300), 5)
    // The pages show their counts within half a second (BUSY_VIEW_INTERVAL), later on a busy machine.
    const total = async (): Promise<number> =>
      (await Promise.all(tabs.map(tabState))).reduce((sum, tab) => sum + tab.processed, 0)
    await expect.poll(total, { timeout: 5_000 }).toBeGreaterThanOrEqual(300)
    const states = await Promise.all(tabs.map(tabState))
    const interior = states.filter((tab) => tab.children > 0)
    expect(interior.length).toBeGreaterThan(0)
    expect(interior.every((tab) => tab.processed > 0)).toBe(true)
    expect(states.reduce((sum, tab) => sum + tab.processed, 0)).toBeGreaterThanOrEqual(300)
  })

  it('stays exact when an interior tab closes mid-run, and its children rejoin and work again', async () => {
    const states = await Promise.all(tabs.map(tabState))
    const index = states.findIndex((tab) => tab.children > 0)
    const leaving = states[index] as TabState
    const orphans = tabs.filter((_, i) => states[i]?.parent === leaving.id)
    expect(orphans.length).toBeGreaterThan(0)

    const numbers = range(1_000, 400)
    const ids = root.push(numbers.map((n) => `${String(n)}:20`))
    await root.outputLength((ids[0] ?? 0) + 50)
    const [closing] = tabs.splice(index, 1)
    await closing?.close()
    expectExact(await root.outputLength((ids.at(-1) ?? 0) + 1), ids, numbers)

    const rejoined = async (): Promise<boolean> =>
      (await Promise.all(orphans.map(tabState))).every(
        (tab) => tab.depth !== '–' && tab.parent !== leaving.id,
      )
    await expect.poll(rejoined, { timeout: 10_000 }).toBe(true)
    const before = await Promise.all(orphans.map(tabState))
    await run(range(2_000, 300), 20)
    const workedAgain = async (): Promise<boolean> =>
      (await Promise.all(orphans.map(tabState))).every(
        (tab, i) => tab.processed > (before[i]?.processed ?? 0),
      )
    await expect.poll(workedAgain).toBe(true)
  })

  it('uses the WebSocket with #protocol=websocket', async () => {
    const page = await open('#protocol=websocket;device=Socket;')
    tabs.push(page)
    await expect.poll(async () => (await tabState(page)).id).toMatch(/^ws-/)
    const state = await tabState(page)
    expect(state.transport).toBe('WebSocket')
    await run(range(3_000, 300), 20)
    await expect.poll(async () => (await tabState(page)).processed).toBeGreaterThan(0)
  })

  it('falls back to the WebSocket when the WebRTC join keeps failing', async () => {
    root.joinEnabled = false
    try {
      const page = await open('#device=Fallback')
      tabs.push(page)
      await expect.poll(async () => (await tabState(page)).id, { timeout: 8_000 }).toMatch(/^ws-/)
      expect((await tabState(page)).transport).toBe('WebSocket')
    } finally {
      root.joinEnabled = true
    }
  })
})
