import type { TreeEdge } from '@pando/protocol'

/** Id of the root node in the drawing (volunteers connected to the root have parent `null`). */
export const ROOT_NODE = '\u0000root'

export interface PlacedNode {
  readonly id: string
  /** `ROOT_NODE` for the root's children; `null` for the root itself. */
  readonly parent: string | null
  /** 0 for the root. */
  readonly depth: number
  /** Horizontal position, in leaf slots (0, 1, 2…); a parent sits midway between its first and last child. */
  readonly x: number
}

export interface TreeLayout {
  /** The root first, then every volunteer, parents before their children. */
  readonly nodes: PlacedNode[]
  /** How many leaf slots wide the tree is (at least 1). */
  readonly width: number
  /** The deepest level (0 when there are no volunteers). */
  readonly depth: number
}

/**
 * A layered layout of the tree: one row per depth, leaves side by side in depth-first order, each parent
 * centred over its children. A volunteer whose parent is unknown, or that sits on a cycle, is drawn as a
 * child of the root. Iterative, so deep trees are fine.
 */
export function layoutTree(edges: readonly TreeEdge[]): TreeLayout {
  const { children, parentOf } = linkParents(edges)
  hangCyclesOnRoot(children, parentOf)
  const { order, depthOf, xOf, width } = placeNodes(children)
  const nodes = order.map((id) => ({
    id,
    parent: id === ROOT_NODE ? null : (parentOf.get(id) ?? ROOT_NODE),
    depth: depthOf.get(id) ?? 0,
    x: xOf.get(id) ?? 0,
  }))
  return { nodes, width, depth: Math.max(0, ...nodes.map((node) => node.depth)) }
}

/** Each node's children (in the edges' order) and parent: the root for an unknown parent or itself. */
function linkParents(edges: readonly TreeEdge[]): {
  children: Map<string, string[]>
  parentOf: Map<string, string>
} {
  const known = new Set(edges.map((edge) => edge.id))
  const children = new Map<string, string[]>([[ROOT_NODE, []]])
  const parentOf = new Map<string, string>()
  for (const edge of edges) {
    if (parentOf.has(edge.id)) continue
    const parent =
      edge.parent !== null && known.has(edge.parent) && edge.parent !== edge.id ? edge.parent : ROOT_NODE
    parentOf.set(edge.id, parent)
    children.set(edge.id, children.get(edge.id) ?? [])
    const siblings = children.get(parent) ?? []
    siblings.push(edge.id)
    children.set(parent, siblings)
  }
  return { children, parentOf }
}

/** Nodes on a cycle are unreachable from the root: cuts each cycle by hanging one of its nodes on the root. */
function hangCyclesOnRoot(children: Map<string, string[]>, parentOf: Map<string, string>): void {
  const visited = new Set<string>()
  const reachFrom = (start: string): void => {
    const stack = [start]
    while (stack.length > 0) {
      const id = stack.pop() as string
      if (visited.has(id)) continue
      visited.add(id)
      stack.push(...(children.get(id) ?? []))
    }
  }
  reachFrom(ROOT_NODE)
  for (const id of parentOf.keys()) {
    if (visited.has(id)) continue
    const oldParent = parentOf.get(id) as string
    children.set(
      oldParent,
      (children.get(oldParent) ?? []).filter((child) => child !== id),
    )
    parentOf.set(id, ROOT_NODE)
    children.get(ROOT_NODE)?.push(id)
    reachFrom(id)
  }
}

/**
 * Depth-first from the root: pre-order for the node list and depths, post-order for the positions (leaves
 * one slot each, a parent midway between its first and last child). `width`: the slots used, at least 1.
 */
function placeNodes(children: ReadonlyMap<string, readonly string[]>): {
  order: string[]
  depthOf: Map<string, number>
  xOf: Map<string, number>
  width: number
} {
  const depthOf = new Map<string, number>([[ROOT_NODE, 0]])
  const order: string[] = []
  const xOf = new Map<string, number>()
  let slot = 0
  const stack: { id: string; expanded: boolean }[] = [{ id: ROOT_NODE, expanded: false }]
  while (stack.length > 0) {
    const top = stack.pop() as { id: string; expanded: boolean }
    const kids = children.get(top.id) ?? []
    if (!top.expanded) {
      order.push(top.id)
      stack.push({ id: top.id, expanded: true })
      for (const kid of [...kids].reverse()) {
        depthOf.set(kid, (depthOf.get(top.id) ?? 0) + 1)
        stack.push({ id: kid, expanded: false })
      }
      continue
    }
    const first = kids[0]
    const last = kids.at(-1)
    xOf.set(
      top.id,
      first === undefined || last === undefined ? slot++ : ((xOf.get(first) ?? 0) + (xOf.get(last) ?? 0)) / 2,
    )
  }
  return { order, depthOf, xOf, width: Math.max(1, slot) }
}
