import { describe, expect, it } from 'vitest'
import { ROOT_NODE, layoutTree } from '../src/tree-layout.ts'

describe('layoutTree', () => {
  it('places the root alone when there are no volunteers', () => {
    expect(layoutTree([])).toEqual({
      nodes: [{ id: ROOT_NODE, parent: null, depth: 0, x: 0 }],
      width: 1,
      depth: 0,
    })
  })

  it('puts leaves side by side and parents over their children', () => {
    const layout = layoutTree([
      { id: 'a', parent: null },
      { id: 'b', parent: null },
      { id: 'c', parent: 'b' },
      { id: 'd', parent: 'b' },
    ])
    expect(layout.nodes).toEqual([
      { id: ROOT_NODE, parent: null, depth: 0, x: 0.75 },
      { id: 'a', parent: ROOT_NODE, depth: 1, x: 0 },
      { id: 'b', parent: ROOT_NODE, depth: 1, x: 1.5 },
      { id: 'c', parent: 'b', depth: 2, x: 1 },
      { id: 'd', parent: 'b', depth: 2, x: 2 },
    ])
    expect(layout.width).toBe(3)
    expect(layout.depth).toBe(2)
  })

  it('hangs volunteers with an unknown parent, or on a cycle, on the root', () => {
    const layout = layoutTree([
      { id: 'orphan', parent: 'gone' },
      { id: 'x', parent: 'y' },
      { id: 'y', parent: 'x' },
      { id: 'self', parent: 'self' },
    ])
    const byId = new Map(layout.nodes.map((node) => [node.id, node]))
    expect(layout.nodes).toHaveLength(5)
    expect(byId.get('orphan')?.parent).toBe(ROOT_NODE)
    expect(byId.get('self')?.parent).toBe(ROOT_NODE)
    expect([byId.get('x')?.parent, byId.get('y')?.parent].filter((p) => p === ROOT_NODE)).toHaveLength(1)
    expect(Math.max(...layout.nodes.map((node) => node.depth))).toBe(2)
  })

  it('lays out a deep chain without recursion limits', () => {
    const edges = Array.from({ length: 20_000 }, (_, i) => ({
      id: `n${i}`,
      parent: i === 0 ? null : `n${i - 1}`,
    }))
    const layout = layoutTree(edges)
    expect(layout.depth).toBe(20_000)
    expect(layout.width).toBe(1)
  })
})
