// Tabs' work across the tree, on the overlay's memory network and a virtual clock: the real TreeVolunteer,
// ParentWork and ChildLending, with a stand-in runner for the Worker (it squares after 5 virtual ms).
import {
  createMemoryNetwork,
  createMemorySignaling,
  createSeededRandom,
  createTreeNode,
  createVirtualClock,
  type TreeNode,
  type VirtualClock,
} from '@pando/overlay'
import {
  combineReports,
  parseTreeWorkMessage,
  toWire,
  type Job,
  type Outcome,
  type ProtocolError,
  type RunProgress,
  type TreeWorkMessage,
  type VolunteerReport,
} from '@pando/protocol'
import { ChildLending, createLender, type Settled } from '@pando/scheduler'
import pull from 'pull-stream'
import { describe, expect, it } from 'vitest'
import { createPushable } from '../src/pushable.ts'
import type { ReportPlace } from '../src/report-builder.ts'
import { TreeVolunteer } from '../src/tree-volunteer.ts'
import { volunteerReport } from '../../../test/support/volunteer-report.ts'

const OPTIONS = {
  degree: 2,
  bootstrapTimeoutMs: 5_000,
  heartbeatMs: 2_000,
  batchSize: 2,
  reportingIntervalMs: 1_000,
}

/** A report with the tab's place, stamped with the virtual time (what ReportBuilder makes, minus figures). */
const fakeReport = (place: ReportPlace, now: number): VolunteerReport =>
  volunteerReport({
    ...place,
    deviceName: `tab ${place.id}`,
    timestamp: now,
    lastReportInterval: OPTIONS.reportingIntervalMs,
  })

interface Tab {
  readonly volunteer: TreeVolunteer
  /** Jobs its runner was given. */
  readonly ran: Job[]
  readonly protocolErrors: ProtocolError[]
  /** What the root said of the run, as this tab heard it. */
  readonly progress: RunProgress[]
  readonly finished: { value: boolean }
}

/** A root with a lender (as tree-root.ts, minus WebRTC) and tabs, on a memory network. */
class MemoryTree {
  readonly clock: VirtualClock = createVirtualClock()
  readonly random = createSeededRandom(4)
  readonly network = createMemoryNetwork({
    clock: this.clock,
    random: this.random,
    latencyMs: { min: 1, max: 5 },
  })
  readonly signaling = createMemorySignaling(this.network)
  readonly root: TreeNode
  readonly output: Settled[] = []
  readonly tabs: Tab[] = []
  /** The latest `status` of each child of the root. */
  readonly statuses = new Map<unknown, readonly VolunteerReport[]>()
  readonly #input = createPushable<Job>()
  #nextId = 0

  constructor() {
    this.root = createTreeNode(
      { ...OPTIONS, id: 'root', root: true },
      { connector: this.network.connector, clock: this.clock, random: this.random },
    )
    this.signaling.serve(this.root)
    const lender = createLender({ ordered: true, retries: 2 })
    lender.sink(this.#input.source)
    pull(
      lender.source,
      pull.drain((settled: Settled) => void this.output.push(settled)),
    )
    const children = new ChildLending(lender, OPTIONS.batchSize)
    this.root.on('child', (child) => children.add(child))
    this.root.on('child-report', (child) => children.update(child))
    this.root.on('child-left', (child) => {
      children.remove(child.channel)
      this.statuses.delete(child.channel)
    })
    this.root.on('message', (channel, raw) => {
      const message = parseTreeWorkMessage(raw)
      if (message?.type === 'outcomes') children.receive(channel, message.outcomes)
      if (message?.type === 'return') children.giveBack(channel, message.ids)
      if (message?.type === 'status') this.statuses.set(channel, message.reports)
    })
  }

  addTab(): Tab {
    const ran: Job[] = []
    const protocolErrors: ProtocolError[] = []
    const progress: RunProgress[] = []
    const finished = { value: false }
    const clock = this.clock
    const volunteer = new TreeVolunteer(OPTIONS, {
      connector: this.network.connector,
      signaling: this.signaling,
      clock,
      onProtocolError: (error) => protocolErrors.push(error),
      onProgress: (value) => progress.push(value),
      onFinished: () => (finished.value = true),
      buildReport: (place) => fakeReport(place, clock.now()),
      createRunner: (onOutcomes) => {
        let closed = false
        return {
          add(jobs) {
            ran.push(...jobs)
            clock.setTimeout(() => {
              if (!closed) onOutcomes(jobs.map(squareOrFail))
            }, 5)
          },
          close() {
            closed = true
          },
        }
      },
    })
    volunteer.start()
    const tab = { volunteer, ran, protocolErrors, progress, finished }
    this.tabs.push(tab)
    return tab
  }

  push(values: readonly string[]): void {
    for (const value of values) this.#input.push({ id: this.#nextId++, value })
  }

  /** Runs the virtual clock in small steps, letting microtasks (outcome batching) run between them. */
  async run(until: () => boolean, maxMs = 20_000): Promise<void> {
    for (let elapsed = 0; elapsed < maxMs && !until(); elapsed += 5) {
      this.clock.run({ forMs: 5 })
      await new Promise((resolve) => setImmediate(resolve))
    }
  }

  /** What the root knows of the tree: one report per volunteer, from its children's statuses. */
  reports(): VolunteerReport[] {
    return combineReports(...this.statuses.values())
  }

  /** Sends a message from the root to each of its children. */
  sendDown(message: TreeWorkMessage): void {
    for (const child of this.root.children) child.channel.send(message)
  }

  joined(): boolean {
    return this.tabs.every((tab) => tab.volunteer.node.isClosed || tab.volunteer.node.depth !== undefined)
  }
}

function squareOrFail(job: Job): Outcome {
  if (job.value === 'fail') return { id: job.id, ok: false, error: { name: 'Error', message: 'fails' } }
  return { id: job.id, ok: true, result: String(Number(job.value) ** 2) }
}

function expectExact(output: readonly Settled[], count: number): void {
  expect(output.map((settled) => settled.id)).toEqual(Array.from({ length: count }, (_, i) => i))
  for (const settled of output) expect(settled).toMatchObject({ ok: true, result: String(settled.id ** 2) })
}

const numbers = (from: number, count: number): string[] =>
  Array.from({ length: count }, (_, i) => String(from + i))

/** Six tabs at degree 2: two levels below the root. */
async function sixTabs(): Promise<MemoryTree> {
  const tree = new MemoryTree()
  for (let i = 0; i < 6; i++) tree.addTab()
  await tree.run(() => tree.joined())
  await tree.run(() => false, 1_500) // subtree reports: credits follow the workers
  return tree
}

describe('TreeVolunteer', () => {
  it("passes the run's progress and its end down the whole tree; each tab stops working and stays", async () => {
    const tree = await sixTabs()
    tree.sendDown({ type: 'progress', done: 7, total: null })
    tree.sendDown({ type: 'progress', done: 10, total: 10 })
    await tree.run(() => tree.tabs.every((tab) => tab.progress.length === 2))
    for (const tab of tree.tabs) {
      expect(tab.progress).toEqual([
        { done: 7, total: null },
        { done: 10, total: 10 },
      ])
    }
    tree.sendDown({ type: 'finished' })
    await tree.run(() => tree.tabs.every((tab) => tab.finished.value))
    for (const tab of tree.tabs) {
      expect(tab.volunteer.finished).toBe(true)
      expect(tab.volunteer.parentWork).toBeUndefined()
      expect(tab.volunteer.node.isClosed).toBe(false)
      expect(tab.protocolErrors).toEqual([])
    }
  })

  it('closes the link of a child that sends what only a parent may (progress, finished)', async () => {
    const tree = await sixTabs()
    const parent = tree.tabs.find((tab) => tab.volunteer.node.children.length > 0) as Tab
    const child = parent.volunteer.node.children[0]
    const childTab = tree.tabs.find((tab) => tab.volunteer.node.id === child?.id) as Tab
    childTab.volunteer.node.parent?.send({ type: 'finished' } satisfies TreeWorkMessage)
    await tree.run(() => parent.protocolErrors.length > 0)
    expect(parent.protocolErrors.map((error) => error.message)).toEqual(["a child may not send 'finished'"])
    expect(parent.volunteer.finished).toBe(false)
  })

  it('lends to its own Worker and to its children: each item comes out once, interior tabs computing too', async () => {
    const tree = await sixTabs()
    const depths = tree.tabs.map((tab) => tab.volunteer.node.depth)
    expect(Math.max(...depths.map(Number))).toBe(2)
    tree.push(numbers(0, 300))
    await tree.run(() => tree.output.length >= 300)
    expectExact(tree.output, 300)
    const interior = tree.tabs.filter((tab) => tab.volunteer.node.children.length > 0)
    expect(interior.length).toBeGreaterThan(0)
    for (const tab of interior) expect(tab.ran.length).toBeGreaterThan(0)
    // Each job ran once: nothing lost, nothing duplicated on the way down.
    expect(tree.tabs.reduce((sum, tab) => sum + tab.ran.length, 0)).toBe(300)
  })

  it('sends a function error up as an outcome, without retrying it: the root retries', async () => {
    const tree = await sixTabs()
    tree.push(['fail'])
    await tree.run(() => tree.output.length >= 1)
    expect(tree.output[0]).toMatchObject({ ok: false, attempts: 3, error: { message: 'fails' } })
    const runs = tree.tabs.flatMap((tab) => tab.ran).filter((job) => job.value === 'fail')
    expect(runs).toHaveLength(3)
  })

  it('ends its work under its parent when that parent leaves; its children rejoin and the output stays exact', async () => {
    const tree = await sixTabs()
    const leaving = tree.tabs.find((tab) => tab.volunteer.node.children.length > 0) as Tab
    const orphans = tree.tabs.filter((tab) => tab.volunteer.node.parentId === leaving.volunteer.node.id)
    tree.push(numbers(0, 400))
    await tree.run(() => tree.output.length >= 50)
    leaving.volunteer.close()
    const orphaned = (): boolean => orphans.every((tab) => tab.volunteer.parentWork === undefined)
    await tree.run(orphaned, 50)
    expect(orphaned()).toBe(true)
    await tree.run(() => tree.output.length >= 400)
    expectExact(tree.output, 400)
    await tree.run(() => tree.joined())
    const before = orphans.map((tab) => tab.ran.length)
    tree.push(numbers(400, 300))
    await tree.run(() => tree.output.length >= 700)
    expectExact(tree.output, 700)
    orphans.forEach((tab, i) => expect(tab.ran.length).toBeGreaterThan(before[i] ?? 0))
  })

  it('pauses a tab with children: it runs nothing, keeps its place, relays to them, and works again once resumed', async () => {
    const tree = await sixTabs()
    const paused = tree.tabs.find((tab) => tab.volunteer.node.children.length > 0) as Tab
    const place = { depth: paused.volunteer.node.depth, children: paused.volunteer.node.children.length }
    const children = tree.tabs.filter((tab) => tab.volunteer.node.parentId === paused.volunteer.node.id)
    paused.volunteer.setPaused(true)
    const ranBefore = paused.ran.length
    const childrenBefore = children.map((tab) => tab.ran.length)
    tree.push(numbers(0, 300))
    await tree.run(() => tree.output.length >= 300)
    expectExact(tree.output, 300)
    expect(paused.ran.length).toBe(ranBefore)
    children.forEach((tab, i) => expect(tab.ran.length).toBeGreaterThan(childrenBefore[i] ?? 0))
    expect({
      depth: paused.volunteer.node.depth,
      children: paused.volunteer.node.children.length,
    }).toEqual(place)
    paused.volunteer.setPaused(false)
    tree.push(numbers(300, 300))
    await tree.run(() => tree.output.length >= 600)
    expectExact(tree.output, 600)
    expect(paused.ran.length).toBeGreaterThan(ranBefore)
  })

  it('pauses a leaf mid-run: what it held unstarted goes back up and is computed by the others', async () => {
    const tree = await sixTabs()
    const leaf = tree.tabs.find((tab) => tab.volunteer.node.children.length === 0) as Tab
    tree.push(numbers(0, 400))
    await tree.run(() => leaf.ran.length > 0)
    leaf.volunteer.setPaused(true)
    // What its runner was given before the pause finishes (5 ms); nothing more reaches it.
    await tree.run(() => false, 50)
    const ranBefore = leaf.ran.length
    await tree.run(() => tree.output.length >= 400)
    expectExact(tree.output, 400)
    expect(leaf.ran.length).toBe(ranBefore)
    expect(leaf.volunteer.parentWork?.held).toBe(0)
  })

  it("closes a link on a message that is neither the overlay's nor work, and one its role may not send", async () => {
    const tree = await sixTabs()
    const parent = tree.tabs.find((tab) => tab.volunteer.node.children.length === 2) as Tab
    const [first, second] = tree.tabs.filter(
      (tab) => tab.volunteer.node.parentId === parent.volunteer.node.id,
    )
    first?.volunteer.node.parent?.send({ type: 'gossip' })
    second?.volunteer.node.parent?.send(toWire({ type: 'jobs', jobs: [] }))
    await tree.run(() => parent.volunteer.node.children.length === 0, 100)
    expect(parent.volunteer.node.children).toHaveLength(0)
    expect(parent.protocolErrors.map((error) => error.message).sort()).toEqual([
      "a child may not send 'jobs'",
      "a message that is neither the overlay's nor work",
    ])
  })

  describe('status reports', () => {
    it('reach the root every interval, one per tab of the tree, each with its place', async () => {
      const tree = await sixTabs()
      tree.statuses.clear()
      await tree.run(() => false, 1_100)
      const reports = tree.reports()
      expect(reports.map((r) => r.id).sort()).toEqual(tree.tabs.map((tab) => tab.volunteer.node.id).sort())
      for (const tab of tree.tabs) {
        const node = tab.volunteer.node
        expect(reports.find((r) => r.id === node.id)).toMatchObject({
          depth: node.depth,
          parent: node.depth === 1 ? null : node.parentId,
          children: node.children.length,
          transport: 'webrtc',
        })
      }
    })

    it("count the items a tab and its subtree hold, and forget a child's subtree when it leaves", async () => {
      const tree = await sixTabs()
      tree.push(numbers(0, 200))
      await tree.run(() => tree.reports().some((r) => r.inFlight > 0), 2_000)
      const interior = tree.tabs.find((tab) => tab.volunteer.node.depth === 1) as Tab
      const leaving = interior.volunteer.node.children[0]?.id as string
      expect(tree.reports().map((r) => r.id)).toContain(leaving)
      tree.tabs.find((tab) => tab.volunteer.node.id === leaving)?.volunteer.close()
      await tree.run(() => false, 1_100)
      expect(tree.reports().map((r) => r.id)).not.toContain(leaving)
    })

    it('closes the link of a child whose status is malformed', async () => {
      const tree = await sixTabs()
      const parent = tree.tabs.find((tab) => tab.volunteer.node.children.length > 0) as Tab
      const child = tree.tabs.find((tab) => tab.volunteer.node.parentId === parent.volunteer.node.id) as Tab
      child.volunteer.node.parent?.send({
        type: 'status',
        reports: [{ id: 'x', transport: 'carrier pigeon' }],
      })
      await tree.run(() => parent.protocolErrors.length > 0, 100)
      expect(parent.protocolErrors.map((error) => error.message)).toEqual([
        'a malformed work message: report.transport is not webrtc or websocket',
      ])
    })
  })
})
