// A world of tree nodes on the memory network and a virtual clock, and checks of the tree it builds.
import {
  createMemoryNetwork,
  createMemorySignaling,
  createSeededRandom,
  createTreeNode,
  createVirtualClock,
  type MemoryNetwork,
  type MemorySignaling,
  type Random,
  type TreeNode,
  type TreeNodeOptions,
  type VirtualClock,
} from '../src/index.ts'

/**
 * The timings of a world's nodes unless its options say otherwise: the original's (a 30 s heartbeat, 60 s
 * joins), which these simulations were written for. The overlay's defaults are the product's, shorter: a
 * 10,000-node world on them spends its virtual time, and the test's real time, on heartbeats.
 */
const WORLD_TIMINGS = { heartbeatMs: 30_000, bootstrapTimeoutMs: 60_000 } as const

export interface WorldOptions {
  readonly seed?: number
  /** One-way latency of every message, in virtual ms. @default 10–50 */
  readonly latencyMs?: { readonly min: number; readonly max: number }
  readonly trickle?: number
  readonly json?: boolean
  /** Options of every node, root included (minus `root`). */
  readonly node?: TreeNodeOptions
}

/** Tree nodes on a memory network and a virtual clock: a root, and the nodes {@link World.add} makes. */
export class World {
  readonly clock: VirtualClock
  readonly random: Random
  readonly network: MemoryNetwork
  readonly signaling: MemorySignaling
  readonly root: TreeNode
  /** Every node but the root, in creation order. */
  readonly nodes: TreeNode[] = []
  private readonly connected = new Set<TreeNode>()

  constructor(readonly options: WorldOptions = {}) {
    this.clock = createVirtualClock()
    this.random = createSeededRandom(options.seed ?? 1)
    this.network = createMemoryNetwork({
      clock: this.clock,
      random: this.random,
      latencyMs: options.latencyMs ?? { min: 10, max: 50 },
      trickle: options.trickle ?? 2,
      json: options.json ?? false,
    })
    this.signaling = createMemorySignaling(this.network)
    const components = { connector: this.network.connector, clock: this.clock, random: this.random }
    this.root = createTreeNode({ ...WORLD_TIMINGS, ...options.node, id: 'root', root: true }, components)
    this.signaling.serve(this.root)
  }

  /** Nodes not closed whose parent channel is open (the root not counted). */
  get connectedCount(): number {
    return this.connected.size
  }

  /** Adds a node that starts joining now. */
  add(options: TreeNodeOptions = {}): TreeNode {
    const { clock, random, signaling } = this
    const components = { connector: this.network.connector, signaling, clock, random }
    const node = createTreeNode({ ...WORLD_TIMINGS, ...this.options.node, ...options }, components)
    node.on('parent', () => this.connected.add(node))
    node.on('parent-lost', () => this.connected.delete(node))
    node.on('close', () => this.connected.delete(node))
    this.nodes.push(node)
    node.join()
    return node
  }

  /** Runs the clock until every open node is connected (or `maxMs` passes); returns the virtual ms taken. */
  runUntilJoined(maxMs = 600_000): number {
    const start = this.clock.now()
    const alive = this.nodes.filter((node) => !node.isClosed).length
    this.clock.run({ until: () => this.connected.size >= alive, forMs: maxMs })
    return this.clock.now() - start
  }

  /** Runs the clock for `ms` virtual ms. */
  runFor(ms: number): void {
    this.clock.run({ forMs: ms })
  }
}

/** The depth of the deepest level of a complete `degree`-ary tree of `n` nodes (root at depth 0). */
export function completeTreeDepth(n: number, degree: number): number {
  if (degree === 1) return n - 1
  let depth = 0
  let capacity = 1
  let level = 1
  while (capacity < n) {
    level *= degree
    capacity += level
    depth++
  }
  return depth
}

export interface TreeShape {
  /** Nodes in the tree, root included. */
  readonly nodes: number
  readonly maxDepth: number
  readonly meanDepth: number
  /** Depth of the deepest level of a complete tree with as many nodes. */
  readonly completeDepth: number
  /** Share of the nodes whose depth is at most `completeDepth`. */
  readonly shareAtCompleteDepth: number
  /** Most children (plus candidates) of any node. */
  readonly maxOccupied: number
}

/**
 * Checks the tree the open nodes form and measures it. Throws if a node is not connected, if the
 * parent ids do not form one tree rooted at the root, if a depth disagrees with the parent's, or if a
 * node holds more than its degree.
 */
export function inspectTree(world: World): TreeShape {
  const open = [world.root, ...world.nodes.filter((node) => !node.isClosed)]
  const byId = new Map(open.map((node) => [node.id, node]))
  let maxDepth = 0
  let depthSum = 0
  let maxOccupied = 0
  for (const node of open) {
    const depth = checkedDepth(node, byId)
    maxDepth = Math.max(maxDepth, depth)
    depthSum += depth
    const occupied = node.children.length + node.candidates
    if (occupied > node.options.degree) throw new Error(`${node.id} holds ${String(occupied)} > degree`)
    maxOccupied = Math.max(maxOccupied, occupied)
  }
  const completeDepth = completeTreeDepth(open.length, world.root.options.degree)
  const within = open.filter((node) => (node.depth ?? Infinity) <= completeDepth).length
  return {
    nodes: open.length,
    maxDepth,
    meanDepth: depthSum / open.length,
    completeDepth,
    shareAtCompleteDepth: within / open.length,
    maxOccupied,
  }
}

function checkedDepth(node: TreeNode, byId: Map<string, TreeNode>): number {
  if (node.isRoot) return 0
  if (!node.connected || node.depth === undefined || node.parentId === undefined) {
    throw new Error(`${node.id} is not in the tree`)
  }
  const parent = byId.get(node.parentId)
  if (parent?.depth === undefined || parent.depth + 1 !== node.depth) {
    throw new Error(`${node.id} at depth ${String(node.depth)} disagrees with its parent ${node.parentId}`)
  }
  if (!parent.children.some((child) => child.id === node.id)) {
    throw new Error(`${node.parentId} does not list ${node.id} as a child`)
  }
  return node.depth
}
