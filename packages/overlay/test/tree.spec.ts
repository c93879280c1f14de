import { describe, expect, it } from 'vitest'
import type { JoinSignalMessage, MemoryChannel, TreeNode } from '../src/index.ts'
import { inspectTree, World } from './world.ts'

/** origin → seq → ids of the nodes that received that signal from their parent. */
type PathLog = Map<string, Map<number, string[]>>

function logPaths(nodes: readonly TreeNode[]): PathLog {
  const log: PathLog = new Map()
  for (const node of nodes) {
    node.on('parent', (channel) => {
      channel.on('message', (raw) => {
        const m = raw as Partial<JoinSignalMessage>
        if (m.type !== 'join-signal' || m.origin === undefined || m.seq === undefined) return
        const bySeq = log.get(m.origin) ?? new Map<number, string[]>()
        bySeq.set(m.seq, [...(bySeq.get(m.seq) ?? []), node.id])
        log.set(m.origin, bySeq)
      })
    })
  }
  return log
}

describe('the tree on the memory network', () => {
  for (const routing of ['least-loaded', 'hash'] as const) {
    it(`${routing}: sends every signal of one joiner along one path, one node per level`, () => {
      const world = new World({ seed: 7, trickle: 4, node: { degree: 2, routing } })
      const nodes = Array.from({ length: 60 }, () => world.add())
      const log = logPaths(nodes)
      world.runUntilJoined()
      world.runFor(2_000)
      inspectTree(world)
      const byId = new Map(nodes.map((n) => [n.id, n]))
      let delegated = 0
      for (const bySeq of log.values()) {
        const first = bySeq.get(0) ?? []
        expect([...bySeq.keys()].sort()).toEqual([0, 1, 2, 3, 4])
        for (const ids of bySeq.values()) expect(ids).toEqual(first)
        // Each node on the path is the parent of the next: the path is a chain down from the root.
        const chain = first.map((id) => byId.get(id) as TreeNode)
        chain.forEach((node, i) => expect(node.parentId).toBe(i === 0 ? 'root' : chain[i - 1]?.id))
        delegated++
      }
      expect(delegated).toBeGreaterThan(40)
    })
  }

  it('makes requests for a slot whose candidate has not connected wait for it', () => {
    const world = new World({ node: { degree: 1 } })
    const nodes = [world.add(), world.add(), world.add()]
    world.runUntilJoined()
    world.runFor(1_000)
    expect(inspectTree(world).maxDepth).toBe(3)
    expect(world.root.routerStats.queued).toBeGreaterThan(0)
    expect(nodes.map((n) => n.routerStats.dropped)).toEqual([0, 0, 0])
  })

  it('lets the orphans of a departed node rejoin through the root with their subtrees', () => {
    const world = new World({ seed: 3, node: { degree: 2 } })
    for (let i = 0; i < 30; i++) world.add()
    world.runUntilJoined()
    world.runFor(2_000)
    const leaving = world.nodes.find((n) => n.depth === 2 && n.children.length === 2) as TreeNode
    const orphans = leaving.children.map((c) => c.id)
    const grandchildren = world.nodes.filter((n) => orphans.includes(n.parentId ?? '')).map((n) => n.id)
    const parent = world.nodes.find((n) => n.id === leaving.parentId) as TreeNode
    expect([orphans.length, grandchildren.length > 0]).toEqual([2, true])
    leaving.close()
    world.runFor(100)
    expect(parent.children.map((c) => c.id)).not.toContain(leaving.id)
    world.runUntilJoined()
    world.runFor(2_000)
    const shape = inspectTree(world)
    expect(shape.nodes).toBe(30)
    // The grandchildren never left their parents: only the orphans rejoined.
    for (const id of grandchildren) {
      expect(orphans).toContain(world.nodes.find((n) => n.id === id)?.parentId)
    }
  })

  it('closes a silent parent within heartbeatMs; its children rejoin', () => {
    const heartbeatMs = 2_000
    const world = new World({ seed: 5, node: { degree: 2, heartbeatMs } })
    for (let i = 0; i < 14; i++) world.add()
    world.runUntilJoined()
    world.runFor(1_000)
    const frozen = world.nodes.find((n) => n.depth === 1 && n.children.length > 0) as TreeNode
    const children = world.nodes.filter((n) => n.parentId === frozen.id)
    expect(children.length).toBeGreaterThan(0)
    const lost: number[] = []
    const errors: string[] = []
    for (const child of children) {
      child.on('parent-lost', () => lost.push(world.clock.now()))
      child.on('peer-error', (e) => errors.push(e.name))
    }
    const at = world.clock.now()
    ;(frozen.parent as MemoryChannel).freeze()
    for (const child of frozen.children) (child.channel as MemoryChannel).freeze()
    world.runFor(heartbeatMs)
    expect(lost).toHaveLength(children.length)
    for (const t of lost) expect(t - at).toBeLessThanOrEqual(heartbeatMs)
    expect(errors.every((name) => name === 'HeartbeatTimeoutError')).toBe(true)
    world.runUntilJoined()
    world.runFor(2_000)
    expect(inspectTree(world).nodes).toBe(15)
  })

  it("measures the round trip to each child with the heartbeats: twice the network's one-way latency", () => {
    const world = new World({
      seed: 3,
      latencyMs: { min: 30, max: 30 },
      node: { degree: 2, heartbeatMs: 2_000 },
    })
    for (let i = 0; i < 6; i++) world.add()
    world.runUntilJoined()
    world.runFor(5_000)
    const links = [world.root, ...world.nodes].flatMap((node) => node.children)
    expect(links).toHaveLength(6)
    for (const child of links) expect(child.roundTripMs).toBe(60)
  })

  it('carries JSON-able messages only', () => {
    const world = new World({ json: true, node: { degree: 3 } })
    for (let i = 0; i < 20; i++) world.add()
    world.runUntilJoined()
    world.runFor(2_000)
    expect(inspectTree(world).nodes).toBe(21)
  })
})
