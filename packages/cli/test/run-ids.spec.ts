import { describe, expect, it } from 'vitest'
import { createRunIds } from '../src/networked/run-ids.ts'

const take = <T>(next: () => T, count: number): T[] => Array.from({ length: count }, next)

describe('createRunIds', () => {
  it('gives the same ids for the same seed, each kind from its own stream', () => {
    const a = createRunIds(42)
    const b = createRunIds(42)
    // Drawn in different interleavings, the n-th id of each kind is the same.
    const aOrigins = take(() => a.origin?.() ?? '', 3)
    const aVolunteers = take(a.volunteerId, 3)
    const bVolunteers = take(b.volunteerId, 3)
    const bOrigins = take(() => b.origin?.() ?? '', 3)
    expect(aOrigins).toEqual(bOrigins)
    expect(aVolunteers).toEqual(bVolunteers)
    expect(new Set([...aOrigins, ...aVolunteers]).size).toBe(6)
    for (const id of [...aOrigins, ...aVolunteers]) expect(id).toMatch(/^[0-9a-f]{16}$/)
    expect(take(a.treeRandom ?? Math.random, 2)).toEqual(take(b.treeRandom ?? Math.random, 2))
  })

  it('gives other ids for another seed', () => {
    expect(createRunIds(1).volunteerId()).not.toBe(createRunIds(2).volunteerId())
  })

  it('without a seed, gives random UUIDs and leaves origins and the tree to their defaults', () => {
    const ids = createRunIds(undefined)
    expect(ids.origin).toBeUndefined()
    expect(ids.treeRandom).toBeUndefined()
    expect(ids.volunteerId()).toMatch(/^[0-9a-f-]{36}$/)
    expect(ids.volunteerId()).not.toBe(ids.volunteerId())
  })
})
