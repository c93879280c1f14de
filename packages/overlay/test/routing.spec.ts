import { describe, expect, it } from 'vitest'
import { chooseSlot, createVirtualClock, hashSlot, RoutingTable } from '../src/index.ts'

describe('hashSlot', () => {
  it('is the same for one origin at one node, and spreads origins evenly over the slots', () => {
    expect(hashSlot('abc', 'n1', 10)).toBe(hashSlot('abc', 'n1', 10))
    const counts = new Array<number>(10).fill(0)
    for (let i = 0; i < 10_000; i++) counts[hashSlot(`origin-${String(i)}`, 'n1', 10)]! += 1
    for (const count of counts) expect(Math.abs(count - 1_000)).toBeLessThan(150)
  })

  it('sends one origin to different slots at different nodes', () => {
    const slots = new Set(Array.from({ length: 50 }, (_, i) => hashSlot('same', `node-${String(i)}`, 10)))
    expect(slots.size).toBeGreaterThan(5)
  })
})

describe('chooseSlot', () => {
  it("'hash' ignores the loads", () => {
    expect(chooseSlot('hash', 'o', 'n', 4, () => 0)).toBe(hashSlot('o', 'n', 4))
  })

  it("'least-loaded' picks the smallest load", () => {
    const loads = [5, 2, 9, 3]
    expect(chooseSlot('least-loaded', 'o', 'n', 4, (i) => loads[i] ?? 0)).toBe(1)
  })

  it("'least-loaded' breaks ties by the hash, then the slots after it", () => {
    for (let i = 0; i < 20; i++) {
      const origin = `t${String(i)}`
      const hashed = hashSlot(origin, 'n', 4)
      expect(chooseSlot('least-loaded', origin, 'n', 4, () => 1)).toBe(hashed)
      const next = (hashed + 1) % 4
      expect(chooseSlot('least-loaded', origin, 'n', 4, (s) => (s === hashed ? 2 : 1))).toBe(next)
    }
  })
})

describe('RoutingTable', () => {
  it('remembers a slot until ttlMs after its last use', () => {
    const clock = createVirtualClock()
    const table = new RoutingTable(10, 100, clock)
    table.remember('a', 3)
    clock.run({ forMs: 99 })
    expect(table.lookup('a')).toBe(3)
    clock.run({ forMs: 99 })
    expect(table.lookup('a')).toBe(3)
    clock.run({ forMs: 100 })
    expect(table.lookup('a')).toBeUndefined()
  })

  it('refuses new entries when full of live ones, and makes room from expired ones', () => {
    const clock = createVirtualClock()
    const table = new RoutingTable(2, 100, clock)
    expect(table.remember('a', 0)).toBe(true)
    clock.run({ forMs: 50 })
    expect(table.remember('b', 1)).toBe(true)
    expect(table.remember('c', 1)).toBe(false)
    clock.run({ forMs: 50 })
    expect(table.remember('c', 1)).toBe(true)
    expect([table.lookup('a'), table.lookup('b'), table.lookup('c')]).toEqual([undefined, 1, 1])
  })

  it('forgets the entries of one slot, or all', () => {
    const table = new RoutingTable(10, 100, createVirtualClock())
    table.remember('a', 0)
    table.remember('b', 1)
    table.remember('c', 0)
    table.forgetSlot(0)
    expect([table.lookup('a'), table.lookup('b'), table.lookup('c')]).toEqual([undefined, 1, undefined])
    table.clear()
    expect(table.size).toBe(0)
  })
})
