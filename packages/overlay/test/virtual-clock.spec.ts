import { describe, expect, it } from 'vitest'
import { createVirtualClock } from '../src/index.ts'

describe('VirtualClock', () => {
  it('runs timers in time order, then in the order they were set', () => {
    const clock = createVirtualClock()
    const order: string[] = []
    clock.setTimeout(() => order.push('b@20'), 20)
    clock.setTimeout(() => order.push('a@10'), 10)
    clock.setTimeout(() => order.push('c@20'), 20)
    clock.setTimeout(() => {
      order.push('d@10')
      clock.setTimeout(() => order.push('e@10+0'), 0)
    }, 10)
    expect(clock.run()).toBe(5)
    expect(order).toEqual(['a@10', 'd@10', 'e@10+0', 'b@20', 'c@20'])
    expect(clock.now()).toBe(20)
  })

  it('skips cleared timers', () => {
    const clock = createVirtualClock()
    let ran = false
    const handle = clock.setTimeout(() => (ran = true), 5)
    expect(clock.pending).toBe(1)
    clock.clearTimeout(handle)
    clock.clearTimeout(handle)
    expect(clock.pending).toBe(0)
    clock.run()
    expect(ran).toBe(false)
  })

  it('stops at forMs, leaving later timers, and reads the deadline', () => {
    const clock = createVirtualClock(100)
    const ran: number[] = []
    for (const t of [5, 10, 15]) clock.setTimeout(() => ran.push(t), t)
    clock.run({ forMs: 10 })
    expect(ran).toEqual([5, 10])
    expect(clock.now()).toBe(110)
    expect(clock.pending).toBe(1)
  })

  it('stops as soon as `until` holds', () => {
    const clock = createVirtualClock()
    let count = 0
    for (let t = 1; t <= 10; t++) clock.setTimeout(() => count++, t)
    clock.run({ until: () => count === 3 })
    expect([count, clock.now()]).toEqual([3, 3])
  })

  it('throws when more than maxTimers would run', () => {
    const clock = createVirtualClock()
    const again = (): void => {
      clock.setTimeout(again, 1)
    }
    again()
    expect(() => clock.run({ maxTimers: 100 })).toThrow(/more than 100/)
  })
})
