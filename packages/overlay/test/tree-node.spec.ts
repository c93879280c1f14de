import { describe, expect, it } from 'vitest'
import { hashSlot, type SubtreeReportMessage } from '../src/index.ts'
import {
  joinedNode,
  joinedNodeBeforeOpen,
  joinSignal,
  joinSignalsOf,
  rootNode,
  TIMEOUT,
  withTwoChildren,
} from './util.ts'

describe('TreeNode', () => {
  describe('subtree reports', () => {
    it('reports its subtree to its parent on connect, and again after what it received', () => {
      const { node, parent, clock } = joinedNode()
      expect(parent.sentOf<SubtreeReportMessage>('subtree-report')).toEqual([
        { type: 'subtree-report', id: 'n', size: 1, pending: 0, workers: 1, received: 0 },
      ])
      parent.deliver(joinSignal('x', 0, 3))
      clock.run({ forMs: 100 })
      expect(parent.sentOf<SubtreeReportMessage>('subtree-report').at(-1)).toMatchObject({
        pending: 3,
        received: 3,
      })
      node.setWorkers(4)
      clock.run({ forMs: 100 })
      expect(parent.sentOf<SubtreeReportMessage>('subtree-report').at(-1)).toMatchObject({ workers: 4 })
    })

    it('reports a change of its own workers at once, even within reportIntervalMs, and 0 while paused', () => {
      const { node, parent } = joinedNode()
      const reports = (): SubtreeReportMessage[] => parent.sentOf<SubtreeReportMessage>('subtree-report')
      expect(reports()).toHaveLength(1)
      node.setWorkers(0)
      expect(reports()).toHaveLength(2)
      expect(reports().at(-1)).toMatchObject({ workers: 0 })
      node.setWorkers(0)
      expect(reports()).toHaveLength(2)
      node.setWorkers(2)
      expect(reports().at(-1)).toMatchObject({ workers: 2 })
    })

    it('sends at most one report per reportIntervalMs', () => {
      const { parent, clock } = joinedNode({ degree: 10 })
      for (let i = 0; i < 10; i++) parent.deliver(joinSignal(`x${String(i)}`))
      clock.run({ forMs: 99 })
      expect(parent.sentOf('subtree-report')).toHaveLength(1)
      clock.run({ forMs: 1 })
      expect(parent.sentOf('subtree-report')).toHaveLength(2)
    })

    it('counts what it routed to a child until that child reports having received it', () => {
      const { root, connector } = withTwoChildren({ routing: 'hash' })
      const origin = ['p', 'q', 'r', 's'].find((o) => hashSlot(o, 'root', 2) === 0) as string
      root.handleJoinSignal(joinSignal(origin, 0, 5))
      expect(root.subtree.pending).toBe(5)
      connector
        .at(0)
        .deliver({ type: 'subtree-report', id: 'a', size: 1, pending: 5, workers: 1, received: 5 })
      expect(root.subtree).toEqual({ size: 3, pending: 5, workers: 3 })
      connector
        .at(0)
        .deliver({ type: 'subtree-report', id: 'a', size: 6, pending: 0, workers: 6, received: 5 })
      expect(root.subtree).toEqual({ size: 8, pending: 0, workers: 8 })
    })
  })

  describe('position', () => {
    it('learns its depth and parent from its parent and passes its own down to its children', () => {
      const { node, parent, connector } = joinedNode()
      const depths: number[] = []
      node.on('position', (depth) => depths.push(depth))
      parent.deliver({ type: 'position', parent: 'p', depth: 3 })
      expect([node.depth, node.parentId]).toEqual([3, 'p'])
      parent.deliver(joinSignal('c'))
      connector.at(1).open()
      expect(connector.at(1).sentOf('position')).toEqual([{ type: 'position', parent: 'n', depth: 4 }])
      parent.deliver({ type: 'position', parent: 'p', depth: 5 })
      expect(connector.at(1).sentOf('position').at(-1)).toEqual({ type: 'position', parent: 'n', depth: 6 })
      expect(depths).toEqual([3, 5])
    })
  })

  describe('protocol', () => {
    it('closes the link of a child that sends what only a parent may send', () => {
      const { root, connector } = rootNode()
      const errors: Error[] = []
      root.on('peer-error', (error) => errors.push(error))
      root.handleJoinSignal(joinSignal('a'))
      connector.at(0).open()
      connector.at(0).deliver(joinSignal('z'))
      expect(errors.map((e) => e.name)).toEqual(['ProtocolError'])
      expect(connector.at(0).state).toBe('closed')
      expect(root.children).toEqual([])
    })

    it('passes up the answers of a child only for the join attempts routed to it', () => {
      const { root, connector } = withTwoChildren()
      const up: string[] = []
      root.on('answer-signal', (message) => up.push(`answer ${message.origin}`))
      root.on('join-rejected', (message) => up.push(`rejected ${message.origin}`))
      root.handleJoinSignal(joinSignal('c'))
      // The root is full: it passed the attempt on to one child, the only one that may answer it.
      const slot = [0, 1].find((index) => joinSignalsOf(connector.at(index)).some((m) => m.origin === 'c'))
      expect(slot).toBeDefined()
      const routedChild = connector.at(slot ?? 0)
      const otherChild = connector.at(1 - (slot ?? 0))
      otherChild.deliver({ type: 'answer-signal', origin: 'c', signal: 'forged' })
      otherChild.deliver({ type: 'join-rejected', origin: 'c', reason: 'forged' })
      routedChild.deliver({ type: 'answer-signal', origin: 'c', signal: 'answer' })
      expect(up).toEqual(['answer c'])
      expect(otherChild.state).toBe('open')
    })

    it('closes the link of a child that sends a malformed report', () => {
      const { root, connector } = rootNode()
      const errors: Error[] = []
      root.on('peer-error', (error) => errors.push(error))
      root.handleJoinSignal(joinSignal('a'))
      connector.at(0).open()
      connector.at(0).deliver({ type: 'subtree-report', id: 'a', size: -1 })
      expect(errors[0]?.message).toMatch(/size/)
      expect(connector.at(0).state).toBe('closed')
    })

    it('hands messages that are not the overlay’s to the application', () => {
      const { node, parent } = joinedNode()
      const got: unknown[] = []
      node.on('message', (from, message) => got.push([from === parent, message]))
      parent.deliver({ type: 'jobs', jobs: [] })
      expect(got).toEqual([[true, { type: 'jobs', jobs: [] }]])
    })
  })

  describe('#closeTab (SPEC 21)', () => {
    it('tells the child of that id why and closes its link; passes an order for another tab to every child', () => {
      const { root, connector } = withTwoChildren()
      for (const [index, id] of [
        [0, 'a'],
        [1, 'b'],
      ] as const)
        connector
          .at(index)
          .deliver({ type: 'subtree-report', id, size: 2, pending: 0, workers: 2, received: 0 })
      root.closeTab('deep', 'was outvoted')
      for (const index of [0, 1]) {
        expect(connector.at(index).sentOf('close-tab')).toEqual([
          { type: 'close-tab', id: 'deep', reason: 'was outvoted' },
        ])
        expect(connector.at(index).state).toBe('open')
      }
      root.closeTab('b', 'was outvoted')
      expect(connector.at(1).sentOf('close-tab').at(-1)).toEqual({
        type: 'close-tab',
        id: 'b',
        reason: 'was outvoted',
      })
      expect(connector.at(1).state).toBe('closed')
      expect(connector.at(0).sentOf('close-tab')).toHaveLength(1)
      expect(root.children.map((child) => child.id)).toEqual(['a'])
    })

    it('passes an order from its parent down to the child named, and leaves for good when named itself', () => {
      const { node, parent, connector, clock } = joinedNode()
      parent.deliver(joinSignal('c'))
      connector.at(1).open()
      connector
        .at(1)
        .deliver({ type: 'subtree-report', id: 'c', size: 1, pending: 0, workers: 1, received: 1 })
      parent.deliver({ type: 'close-tab', id: 'c', reason: 'was outvoted' })
      expect(connector.at(1).state).toBe('closed')
      expect(node.isClosed).toBe(false)
      parent.deliver(joinSignal('d'))
      connector.at(2).open()
      const reasons: string[] = []
      node.on('excluded', (reason) => reasons.push(reason))
      parent.deliver({ type: 'close-tab', id: 'n', reason: 'was outvoted' })
      expect(reasons).toEqual(['was outvoted'])
      expect(node.isClosed).toBe(true)
      // Its child's link is closed (the child rejoins through the root), and it does not rejoin itself.
      expect(connector.at(2).state).toBe('closed')
      clock.run({ forMs: 60_000 })
      expect(connector.created).toHaveLength(3)
    })

    it('closes the link of a child that sends close-tab, or a malformed one from a parent', () => {
      const { root, connector } = rootNode()
      root.handleJoinSignal(joinSignal('a'))
      connector.at(0).open()
      connector.at(0).deliver({ type: 'close-tab', id: 'root', reason: 'forged' })
      expect(connector.at(0).state).toBe('closed')
      expect(root.isClosed).toBe(false)
      const { parent, node } = joinedNode()
      parent.deliver({ type: 'close-tab', id: 'n', reason: 'x'.repeat(301) })
      expect(parent.state).toBe('closed')
      expect(node.isClosed).toBe(false)
    })
  })

  describe('#join', () => {
    it('sends its signals through a signaling session, weighted by its subtree, and connects on open', () => {
      const { node, signaling, connector, clock } = joinedNodeBeforeOpen()
      connector.at(0).emit('signal', 'offer')
      connector.at(0).emit('signal', 'candidate')
      expect(signaling.attempts[0]?.sent).toEqual([
        { seq: 0, weight: 1, signal: 'offer' },
        { seq: 1, weight: 1, signal: 'candidate' },
      ])
      signaling.attempts[0]?.handlers.signal('answer')
      expect(connector.at(0).signals).toEqual(['answer'])
      connector.at(0).open()
      clock.run({ forMs: 0 })
      expect(node.connected).toBe(true)
      expect(signaling.attempts[0]?.closed).toBe(true)
    })

    it('gives up an attempt after bootstrapTimeoutMs, reports it, and retries after a back-off', () => {
      const { node, signaling, connector, clock } = joinedNodeBeforeOpen()
      const failures: string[] = []
      node.on('join-failed', (error) => failures.push(error.name))
      clock.run({ forMs: TIMEOUT })
      expect(failures).toEqual(['JoinTimeoutError'])
      expect(connector.at(0).state).toBe('closed')
      expect(signaling.attempts[0]?.closed).toBe(true)
      clock.run({ forMs: 1_000 })
      expect(connector.created).toHaveLength(2)
    })

    it('gives up an attempt at once when the tree rejects it, and retries after a back-off', () => {
      const { node, signaling, connector, clock } = joinedNodeBeforeOpen()
      const failures: string[] = []
      node.on('join-failed', (error) => failures.push(error.name))
      signaling.attempts[0]?.handlers.rejected('test')
      expect(failures).toEqual(['JoinRejectedError'])
      expect(connector.at(0).state).toBe('closed')
      clock.run({ forMs: 500 })
      expect(connector.created).toHaveLength(2)
    })

    it('rejects the attempt of a candidate whose channel fails, and frees its slot', () => {
      const { root, connector } = rootNode()
      const rejected: unknown[] = []
      root.on('join-rejected', (m) => rejected.push(m))
      root.handleJoinSignal(joinSignal('a'))
      connector.at(0).close()
      expect(root.candidates).toBe(0)
      expect(rejected).toEqual([{ type: 'join-rejected', origin: 'a', reason: expect.any(String) }])
    })

    it('rejoins by itself when its parent channel closes, keeping its children', () => {
      const { node, parent, connector, clock } = joinedNode()
      parent.deliver(joinSignal('c'))
      connector.at(1).open()
      parent.close()
      expect(node.connected).toBe(false)
      expect(node.children).toHaveLength(1)
      clock.run({ forMs: 1_000 })
      expect(connector.created).toHaveLength(3)
      expect(connector.at(2).initiator).toBe(true)
    })

    it('throws when called on the root or after close', () => {
      const { root } = rootNode()
      expect(() => root.join()).toThrow(TypeError)
      const { node } = joinedNode()
      node.close()
      expect(() => node.join()).toThrow(expect.objectContaining({ name: 'ClosedError' }))
    })
  })

  describe('#close', () => {
    it('closes every channel, emits close once, and is idempotent', () => {
      const { node, parent, connector } = joinedNode()
      parent.deliver(joinSignal('c'))
      parent.deliver(joinSignal('d'))
      connector.at(1).open()
      let closes = 0
      node.on('close', () => closes++)
      node.close()
      node.close()
      expect(closes).toBe(1)
      expect(connector.created.map((c) => c.state)).toEqual(['closed', 'closed', 'closed'])
    })
  })
})
