import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { hashSlot } from '../src/index.ts'
import { applyToChannel, joinSignal, joinSignalsOf, rootNode, TIMEOUT, withTwoChildren } from './util.ts'

describe('TreeNode', () => {
  describe('#handleJoinSignal', () => {
    it('accepts joiners into free slots as candidates and feeds them every signal of their attempt', () => {
      const { root, connector } = rootNode()
      root.handleJoinSignal(joinSignal('a'))
      root.handleJoinSignal(joinSignal('b'))
      root.handleJoinSignal(joinSignal('a', 1))
      expect(connector.created.map((c) => c.initiator)).toEqual([false, false])
      expect(connector.at(0).signals).toEqual([
        { origin: 'a', seq: 0 },
        { origin: 'a', seq: 1 },
      ])
      expect(root.candidates).toBe(2)
      expect(root.children).toEqual([])
    })

    it("hands a candidate's signals back as answer-signal events at the root", () => {
      const { root, connector } = rootNode()
      const answers: unknown[] = []
      root.on('answer-signal', (m) => answers.push(m))
      root.handleJoinSignal(joinSignal('a'))
      connector.at(0).emit('signal', { sdp: 'x' })
      expect(answers).toEqual([{ type: 'answer-signal', origin: 'a', signal: { sdp: 'x' } }])
    })

    it('makes a candidate a child when its channel opens, and tells it its position', () => {
      const { root, connector } = rootNode()
      root.handleJoinSignal(joinSignal('a'))
      connector.at(0).open()
      expect(root.candidates).toBe(0)
      expect(root.children).toHaveLength(1)
      expect(connector.at(0).sent).toEqual([{ type: 'position', parent: 'root', depth: 1 }])
    })

    it('queues requests for a slot whose candidate has not connected, and flushes them in order on connect', () => {
      const { root, connector } = rootNode()
      root.handleJoinSignal(joinSignal('a'))
      root.handleJoinSignal(joinSignal('b'))
      for (let seq = 0; seq < 3; seq++) root.handleJoinSignal(joinSignal('c', seq))
      expect(connector.created).toHaveLength(2)
      expect(root.routerStats.queued).toBe(3)
      // Both candidates weigh 1: least-loaded breaks the tie by the hash.
      const target = connector.at(hashSlot('c', 'root', 2))
      target.open()
      expect(joinSignalsOf(target).map((m) => [m.origin, m.seq])).toEqual([
        ['c', 0],
        ['c', 1],
        ['c', 2],
      ])
    })

    it('sends every later signal of an origin the way its first went, for many interleaved origins', () => {
      for (const routing of ['least-loaded', 'hash'] as const) {
        const { root, connector } = withTwoChildren({ routing })
        const origins = Array.from({ length: 40 }, (_, i) => `o${String(i)}`)
        for (const origin of origins) root.handleJoinSignal(joinSignal(origin))
        for (let seq = 1; seq < 4; seq++)
          for (const origin of origins) root.handleJoinSignal(joinSignal(origin, seq))
        const paths = new Map<string, Set<number>>()
        for (const index of [0, 1]) {
          for (const m of joinSignalsOf(connector.at(index))) {
            paths.set(m.origin, (paths.get(m.origin) ?? new Set()).add(index))
          }
        }
        expect(paths.size).toBe(40)
        for (const slots of paths.values()) expect(slots.size).toBe(1)
        for (const index of [0, 1]) {
          const seqs = new Map<string, number[]>()
          for (const m of joinSignalsOf(connector.at(index)))
            seqs.set(m.origin, [...(seqs.get(m.origin) ?? []), m.seq])
          for (const list of seqs.values()) expect(list).toEqual([0, 1, 2, 3])
        }
      }
    })

    it('least-loaded: sends a first request to the child with the fewest nodes, counting what it sent since', () => {
      const { root, connector } = withTwoChildren()
      const report = (index: number, size: number): void =>
        connector.at(index).deliver({
          type: 'subtree-report',
          id: `c${String(index)}`,
          size,
          pending: 0,
          workers: size,
          received: 0,
        })
      report(0, 10)
      report(1, 3)
      for (let i = 0; i < 7; i++) root.handleJoinSignal(joinSignal(`x${String(i)}`))
      expect(joinSignalsOf(connector.at(1))).toHaveLength(7)
      expect(root.subtree).toEqual({ size: 14, pending: 7, workers: 14 })
      root.handleJoinSignal(joinSignal('tie'))
      expect(joinSignalsOf(connector.at(hashSlot('tie', 'root', 2))).at(-1)?.origin).toBe('tie')
    })

    it('hash: sends a first request to child hash(origin, node id) mod degree', () => {
      const { root, connector } = withTwoChildren({ routing: 'hash' })
      for (let i = 0; i < 20; i++) {
        const origin = `h${String(i)}`
        root.handleJoinSignal(joinSignal(origin))
        expect(joinSignalsOf(connector.at(hashSlot(origin, 'root', 2))).at(-1)?.origin).toBe(origin)
      }
    })

    it('drops a candidate that has not connected within bootstrapTimeoutMs and frees its slot', () => {
      const { root, connector, clock } = rootNode()
      root.handleJoinSignal(joinSignal('a'))
      clock.run({ forMs: TIMEOUT - 1 })
      expect(connector.at(0).state).toBe('connecting')
      clock.run({ forMs: 1 })
      expect(connector.at(0).state).toBe('closed')
      expect(root.candidates).toBe(0)
      expect(root.routerStats.candidatesLost).toBe(1)
    })

    it('routes again what waited for a candidate that timed out', () => {
      const { root, connector, clock } = rootNode({ degree: 1 })
      root.handleJoinSignal(joinSignal('a'))
      root.handleJoinSignal(joinSignal('b'))
      root.handleJoinSignal(joinSignal('b', 1))
      clock.run({ forMs: TIMEOUT })
      expect(connector.created).toHaveLength(2)
      expect(connector.at(1).signals).toEqual([
        { origin: 'b', seq: 0 },
        { origin: 'b', seq: 1 },
      ])
      expect(root.candidates).toBe(1)
    })

    it('frees the slot of a child that leaves, and rejects the attempts routed through it', () => {
      const { root, connector } = withTwoChildren()
      const left: unknown[] = []
      const rejected: unknown[] = []
      root.on('child-left', (child) => left.push(child.index))
      root.on('join-rejected', (m) => rejected.push(m.origin))
      root.handleJoinSignal(joinSignal('c'))
      const slot = joinSignalsOf(connector.at(0)).length > 0 ? 0 : 1
      connector.at(slot).close()
      expect(left).toEqual([slot])
      root.handleJoinSignal(joinSignal('c', 1))
      root.handleJoinSignal(joinSignal('c', 2))
      expect(root.routerStats).toMatchObject({ dropped: 2, rejected: 1 })
      expect(rejected).toEqual(['c'])
      expect(connector.created).toHaveLength(2)
      root.handleJoinSignal(joinSignal('d'))
      expect(connector.created).toHaveLength(3)
    })

    it('drops the late signals of an attempt that has connected here', () => {
      const { root, connector } = rootNode()
      root.handleJoinSignal(joinSignal('a'))
      connector.at(0).open()
      root.handleJoinSignal(joinSignal('a', 3))
      expect(root.routerStats.dropped).toBe(1)
      expect(connector.at(0).signals).toHaveLength(1)
    })

    it('never holds more than degree children and candidates, whatever happens', () => {
      const op = fc.oneof(
        fc.record({ kind: fc.constant('signal' as const), origin: fc.nat(30), seq: fc.nat(2) }),
        fc.record({ kind: fc.constantFrom('open' as const, 'close' as const), channel: fc.nat(60) }),
        fc.record({ kind: fc.constant('wait' as const), ms: fc.nat(TIMEOUT) }),
      )
      fc.assert(
        fc.property(fc.integer({ min: 1, max: 4 }), fc.array(op, { maxLength: 120 }), (degree, ops) => {
          const { root, connector, clock } = rootNode({ degree })
          for (const o of ops) {
            if (o.kind === 'signal') root.handleJoinSignal(joinSignal(`o${String(o.origin)}`, o.seq))
            else if (o.kind === 'wait') clock.run({ forMs: o.ms })
            else applyToChannel(connector.created[o.channel], o.kind)
            expect(root.children.length + root.candidates).toBeLessThanOrEqual(degree)
          }
        }),
        { numRuns: 200 },
      )
    })
  })
})
