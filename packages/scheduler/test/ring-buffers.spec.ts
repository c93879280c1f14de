// The two ring buffers under the lender, checked against plain arrays over random operations (they grow
// and wrap around, which the lender's tests reach only by chance).
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { Deque } from '../src/deque.ts'
import { ReorderWindow } from '../src/reorder-window.ts'

describe('Deque', () => {
  it('behaves like an array under push, unshift and shift, across growth and wrap-around', () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('push' as const), value: fc.integer() }),
      fc.record({ kind: fc.constant('unshift' as const), value: fc.integer() }),
      fc.record({ kind: fc.constant('shift' as const), value: fc.constant(0) }),
    )
    fc.assert(
      fc.property(fc.array(op, { maxLength: 200 }), (ops) => {
        const deque = new Deque<number>()
        const model: number[] = []
        for (const { kind, value } of ops) {
          if (kind === 'shift') expect(deque.shift()).toBe(model.shift())
          else {
            deque[kind](value)
            model[kind](value)
          }
          expect(deque.size).toBe(model.length)
        }
      }),
    )
  })
})

describe('ReorderWindow', () => {
  it('gives values back in reserve order, each once, whatever order they settle in', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(), { minLength: 1, maxLength: 100 }), fc.nat(40), (keys, span) => {
        const window = new ReorderWindow<number>()
        const out: number[] = []
        let reserved = 0
        // Keep up to `span` + 1 items in flight, settling them in a shuffled order.
        const inFlight: number[] = []
        for (const key of keys) {
          inFlight.push(window.reserve())
          reserved++
          if (inFlight.length > span) {
            const [position] = inFlight.splice(key % inFlight.length, 1) as [number]
            window.settle(position, position)
          }
          for (let v = window.next(); v !== undefined; v = window.next()) out.push(v)
        }
        for (const position of inFlight) window.settle(position, position)
        for (let v = window.next(); v !== undefined; v = window.next()) out.push(v)
        expect(out).toEqual(Array.from({ length: reserved }, (_, i) => i))
        expect(window.hasNext()).toBe(false)
      }),
    )
  })
})
