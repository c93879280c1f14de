// Straggler mitigation: the head of the reorder window, lent for much longer than recent items took, is lent
// a second time to another sub-stream; the first outcome wins. On a virtual clock.
import type { Job } from '@pando/protocol'
import pull from 'pull-stream'
import { describe, expect, it } from 'vitest'
import type { LenderClock } from '../src/clock.ts'
import { createLender, type Lender, type LenderOptions } from '../src/index.ts'
import { Stragglers } from '../src/stragglers.ts'
import { VirtualClock } from './sim.ts'
import {
  collectNow,
  failure,
  job,
  jobs,
  manualBorrower,
  pushable,
  settledOk,
  success,
  type Collected,
  type ManualBorrower,
  type Pushable,
} from './util.ts'

interface Rig {
  readonly clock: VirtualClock
  readonly lender: Lender
  readonly input: Pushable<Job>
  readonly out: Collected
}

/** A lender on a virtual clock (floor 100 ms, ceiling 10 s unless given), its input fed by hand, read to the end. */
function rig(options: LenderOptions = {}, pushed = 0): Rig {
  const clock = new VirtualClock()
  const lender = createLender({
    speculateFloorMs: 100,
    speculateCeilingMs: 10_000,
    clock: clock.lenderClock(),
    ...options,
  })
  const input = pushable<Job>()
  for (const j of jobs(pushed)) input.push(j)
  pull(input.source, lender.sink)
  return { clock, lender, input, out: collectNow(lender) }
}

/** Lends `b` items one at a time and answers each after `ms(k)` virtual ms: k samples of lend→success time. */
function sample(clock: VirtualClock, b: ManualBorrower, durations: number[]): void {
  for (const ms of durations) {
    b.read()
    const [j] = b.batches.at(-1) as Job[]
    clock.advance(ms)
    b.answer([success(j as Job)])
  }
}

describe('speculation: the straggling head is lent again', () => {
  it('copies the head to another sub-stream after the threshold; the copy is emitted once, the late answer ignored', () => {
    const { clock, lender, input, out } = rig({}, 3)
    const a = manualBorrower(lender.lendStream({ name: 'a' }))
    const b = manualBorrower(lender.lendStream({ name: 'b' }))
    a.read() // a holds 0 from t=0, and stalls
    sample(clock, b, [10, 10]) // 1 and 2 took 10 ms: 4 × p95 = 40, the floor (100) wins
    b.read() // nothing left: waits
    clock.advance(100 - 20 - 1)
    expect(b.batches).toHaveLength(2)
    expect(lender.state().speculated).toBe(0)
    clock.advance(1)
    expect(b.batches[2]).toEqual([job(0)])
    expect(lender.state()).toMatchObject({ speculated: 1, lent: 2 })
    b.answer([success(job(0))])
    expect(out.values).toEqual([settledOk(0), settledOk(1), settledOk(2)])
    a.answer([success(job(0), 'late')]) // the loser: ignored, never a second value
    expect(out.values).toHaveLength(3)
    expect(lender.state()).toMatchObject({ ignored: 1, lent: 0, relent: 0, relendQueue: 0, emitted: 3 })
    input.end()
    expect(out.end()).toBe(true)
    expect(clock.pending).toBe(0)
  })

  it('never copies to a sub-stream that holds the item, and lends the copy ahead of new items', () => {
    const { clock, lender, input } = rig({}, 3)
    const a = manualBorrower(lender.lendStream({ name: 'a', credit: 4 }))
    const bSub = lender.lendStream({ name: 'b', credit: 2 })
    a.read() // a holds 0, 1, 2
    clock.advance(10)
    a.answer([success(job(1)), success(job(2))])
    a.read() // free credit, nothing to lend: waits
    clock.advance(1_000)
    expect(a.batches).toHaveLength(1) // the copy is due, but a holds 0
    input.push(job(3))
    expect(a.batches[1]).toEqual([job(3)]) // new items, still not 0
    input.push(job(4))
    input.push(job(5))
    const b = manualBorrower(bSub)
    b.read()
    expect(b.batches[0]).toEqual([job(0), job(4)]) // the copy first
    const c = manualBorrower(lender.lendStream({ name: 'c', credit: 2 }))
    c.read()
    expect(c.batches[0]).toEqual([job(5)]) // held twice already: no third copy
    expect(lender.state().speculated).toBe(1)
  })

  it('lets the holder win: the copy’s answer is then ignored', () => {
    const { clock, lender, out } = rig({}, 1)
    const a = manualBorrower(lender.lendStream({ name: 'a' }))
    const b = manualBorrower(lender.lendStream({ name: 'b' }))
    a.read()
    b.read()
    clock.advance(10_000) // no samples yet: the ceiling
    expect(b.batches).toEqual([[job(0)]])
    a.answer([success(job(0))])
    b.answer([success(job(0), 'copy')])
    expect(out.values).toEqual([settledOk(0)])
    expect(lender.state()).toMatchObject({ ignored: 1, speculated: 1, lent: 0 })
  })
})

describe('speculation: the threshold', () => {
  // 32 items (the threshold is computed again every 16 samples): one of 1 s, 31 of 10 ms. The p95 (nearest
  // rank, the 31st of 32) is 10 ms: the outlier does not count. 4 × p95 = 40 ms.
  const durations = [1_000, ...Array.from({ length: 31 }, () => 10)]

  it.each([
    { name: '4 × p95', options: { speculateFloorMs: 10 }, after: 40 },
    { name: 'the multiple', options: { speculateFloorMs: 10, speculateMultiple: 2 }, after: 20 },
    { name: 'the floor', options: { speculateFloorMs: 200 }, after: 200 },
    { name: 'the ceiling', options: { speculateFloorMs: 10, speculateCeilingMs: 30 }, after: 30 },
  ])('copies after $name', ({ options, after }) => {
    const { clock, lender } = rig(options, 33)
    const a = manualBorrower(lender.lendStream({ name: 'a' }))
    const b = manualBorrower(lender.lendStream({ name: 'b' }))
    sample(clock, b, durations) // b computes 0..31
    a.read() // a holds 32, and stalls
    b.read()
    clock.advance(after - 1)
    expect(b.batches).toHaveLength(32)
    clock.advance(1)
    expect(b.batches[32]).toEqual([job(32)])
  })

  it('waits the ceiling while nothing has succeeded yet', () => {
    const { clock, lender } = rig({ speculateCeilingMs: 5_000 }, 1)
    const a = manualBorrower(lender.lendStream({ name: 'a' }))
    const b = manualBorrower(lender.lendStream({ name: 'b' }))
    a.read()
    b.read()
    clock.advance(4_999)
    expect(b.batches).toHaveLength(0)
    clock.advance(1)
    expect(b.batches).toEqual([[job(0)]])
  })

  it('starts the clock of an item lent while no other sub-stream was open when one opens', () => {
    const { clock, lender } = rig({ speculateCeilingMs: 1_000 }, 1)
    const a = manualBorrower(lender.lendStream({ name: 'a' }))
    a.read() // alone: untimed
    clock.advance(5_000)
    const b = manualBorrower(lender.lendStream({ name: 'b' }))
    b.read() // the head's time starts now
    clock.advance(999)
    expect(b.batches).toHaveLength(0)
    clock.advance(1)
    expect(b.batches).toEqual([[job(0)]])
  })

  it('is the multiple of the recent p95, clamped, from a bounded ring of samples', () => {
    const clock = new VirtualClock()
    const options = { multiple: 4, floorMs: 10, ceilingMs: 1_000, clock: clock.lenderClock() }
    const stragglers = new Stragglers(options, () => {})
    const borrower = {} // one borrower: its own p95 (see hostile-borrowers.spec.ts for several)
    expect(stragglers.threshold()).toBe(1_000) // no samples: the ceiling
    for (let ms = 1; ms <= 100; ms++) stragglers.record(ms, borrower)
    expect(stragglers.threshold()).toBe(380) // p95 of 1..100 = 95
    for (let i = 0; i < 256; i++) stragglers.record(1, borrower) // the 100 older samples fall out of the ring
    expect(stragglers.threshold()).toBe(10) // 4 × 1, raised to the floor
    for (let i = 0; i < 256; i++) stragglers.record(500, borrower)
    expect(stragglers.threshold()).toBe(1_000) // 4 × 500, lowered to the ceiling
  })
})

describe('speculation: off', () => {
  it.each([
    { name: 'unordered', options: { ordered: false } },
    { name: 'speculate: false', options: { speculate: false } },
  ])('never copies when $name, and sets no timer', ({ options }) => {
    const { clock, lender } = rig(options, 1)
    const a = manualBorrower(lender.lendStream({ name: 'a' }))
    const b = manualBorrower(lender.lendStream({ name: 'b' }))
    a.read()
    b.read()
    expect(clock.pending).toBe(0)
    clock.advance(1_000_000)
    expect(b.batches).toHaveLength(0)
    expect(lender.state().speculated).toBe(0)
  })

  it('rejects speculate with an unordered lender and bad multiples, floors and ceilings with a RangeError', () => {
    expect(() => createLender({ ordered: false, speculate: true })).toThrow(RangeError)
    expect(() => createLender({ speculateMultiple: 0 })).toThrow(RangeError)
    expect(() => createLender({ speculateFloorMs: -1 })).toThrow(RangeError)
    expect(() => createLender({ speculateCeilingMs: Infinity })).toThrow(RangeError)
    expect(() => createLender({ speculateFloorMs: 2_000, speculateCeilingMs: 1_000 })).toThrow(RangeError)
    expect(() => createLender({ ordered: false, speculateFloorMs: 5 })).not.toThrow()
  })
})

describe('speculation: never a duplicate, never a lost item', () => {
  /** a holds 0 and stalls; b gets the copy after the ceiling (no samples). */
  function copied(options: LenderOptions = {}): Rig & { a: ManualBorrower; b: ManualBorrower } {
    const r = rig(options, 1)
    const a = manualBorrower(r.lender.lendStream({ name: 'a' }))
    const b = manualBorrower(r.lender.lendStream({ name: 'b' }))
    a.read()
    b.read()
    r.clock.advance(10_000)
    expect(b.batches).toEqual([[job(0)]])
    return { ...r, a, b }
  }

  it('ignores a failure the loser reports after the winner succeeded', () => {
    const { lender, out, a, b } = copied()
    b.answer([success(job(0))])
    a.answer([failure(job(0))])
    expect(out.values).toEqual([settledOk(0)])
    expect(lender.state()).toMatchObject({ failures: 0, ignored: 1, relendQueue: 0 })
  })

  it('lends nothing again when the winner or the loser closes after the item settled', () => {
    const { lender, input, out, a, b } = copied()
    const bSub = lender.lendStream({ name: 'b again' }) // keeps two open after b leaves
    b.answer([success(job(0))])
    b.endSink() // the winner
    a.endSink() // the loser, still holding 0
    expect(lender.state()).toMatchObject({ relent: 0, relendQueue: 0, lent: 0 })
    const c = manualBorrower(bSub)
    c.read()
    expect(c.batches).toEqual([])
    input.end()
    expect(out.values).toEqual([settledOk(0)])
    expect(out.end()).toBe(true)
  })

  it('keeps the item with the other holder when one closes before it settled, and copies again only once one is lost', () => {
    const { clock, lender, out, a, b } = copied()
    const c = manualBorrower(lender.lendStream({ name: 'c' }))
    c.read()
    expect(c.batches).toEqual([]) // held twice: no second copy
    b.endSink() // the copy's holder is lost: a still holds 0, nothing is re-lent
    expect(lender.state()).toMatchObject({ relent: 0, relendQueue: 0, lent: 1 })
    clock.advance(0) // a's lending is long overdue: the check runs at once
    expect(c.batches).toEqual([[job(0)]])
    a.endSink() // the first holder is lost: c still holds 0
    expect(lender.state()).toMatchObject({ relent: 0, relendQueue: 0, lent: 1, speculated: 2 })
    c.answer([success(job(0))])
    expect(out.values).toEqual([settledOk(0)])
  })

  it('counts a failure from one holder while the other computes it, and lets that lending be the retry', () => {
    const { clock, lender, out, a, b } = copied({ retries: 1 })
    b.answer([failure(job(0))])
    expect(lender.state()).toMatchObject({ failures: 1, relendQueue: 0, lent: 1 })
    b.read()
    clock.advance(0)
    expect(b.batches[1]).toEqual([job(0)]) // the only other sub-stream, though it failed it: a copy again
    a.answer([success(job(0))])
    expect(out.values).toEqual([settledOk(0)])
  })

  it('retries on the sub-stream that failed an item when the only other one is full of items settled elsewhere', () => {
    const { clock, lender, input, out, a, b } = copied({ retries: 1 })
    b.answer([success(job(0))]) // a lost the race: its whole credit (1) is taken by the settled 0
    input.push(job(1))
    b.read()
    b.answer([failure(job(1))])
    b.read()
    clock.advance(0)
    expect(b.batches.at(-1)).toEqual([job(1)]) // a would not read before it answers or closes
    b.answer([success(job(1))])
    expect(out.values).toEqual([settledOk(0), settledOk(1)])
    a.answer([success(job(0))]) // a answers at last: it may take items again
    expect(lender.state()).toMatchObject({ ignored: 1, failures: 1 })
  })

  it('settles an item failed once the retries are spent, whoever still holds it', () => {
    const { lender, out, a, b } = copied({ retries: 0 })
    b.answer([failure(job(0), 'boom')])
    a.answer([success(job(0))])
    expect(out.values).toEqual([
      { id: 0, value: '0', ok: false, error: { name: 'Error', message: 'boom' }, attempts: 1 },
    ])
    expect(lender.state()).toMatchObject({ ignored: 1, lent: 0 })
  })
})

describe('speculation: timers', () => {
  /** A virtual clock whose handles record `unref` calls, and which records what is cleared. */
  function spyClock(): {
    clock: LenderClock
    virtual: VirtualClock
    sets: () => number
    unrefs: () => number
    cleared: unknown[]
  } {
    const virtual = new VirtualClock()
    const inner = virtual.lenderClock()
    let sets = 0
    let unrefs = 0
    const cleared: unknown[] = []
    const handles = new Map<unknown, unknown>()
    const clock: LenderClock = {
      now: inner.now,
      setTimeout: (callback, ms) => {
        sets++
        const handle = { unref: () => void unrefs++ }
        handles.set(handle, inner.setTimeout(callback, ms))
        return handle
      },
      clearTimeout: (handle) => {
        cleared.push(handle)
        inner.clearTimeout(handles.get(handle))
      },
    }
    return { clock, virtual, sets: () => sets, unrefs: () => unrefs, cleared }
  }

  it('unrefs its check and clears it when the output ends', () => {
    const { clock, virtual, unrefs, cleared } = spyClock()
    const lender = createLender({ clock })
    const input = pushable<Job>()
    input.push(job(0))
    pull(input.source, lender.sink)
    const out = collectNow(lender)
    const a = manualBorrower(lender.lendStream())
    const b = manualBorrower(lender.lendStream())
    a.read()
    b.read()
    expect(virtual.pending).toBe(1)
    expect(unrefs()).toBe(1)
    a.answer([success(job(0))])
    input.end()
    expect(out.end()).toBe(true)
    expect(cleared).toHaveLength(1)
    expect(virtual.pending).toBe(0)
  })

  it('clears its check when the output is aborted', () => {
    const { clock, virtual } = spyClock()
    const lender = createLender({ clock })
    pull(pull.values(jobs(1)), lender.sink)
    manualBorrower(lender.lendStream()).read()
    manualBorrower(lender.lendStream()).read()
    expect(virtual.pending).toBe(1)
    lender.source(true, () => {})
    expect(virtual.pending).toBe(0)
  })

  it('keeps one check, not one per item, while the head moves on', () => {
    const { clock, virtual, sets } = spyClock()
    const lender = createLender({ clock, speculateFloorMs: 1_000 })
    pull(pull.values(jobs(100)), lender.sink)
    collectNow(lender)
    const a = manualBorrower(lender.lendStream({ credit: 2 }))
    manualBorrower(lender.lendStream({ credit: 0 }))
    for (let i = 0; i < 50; i++) {
      a.read()
      virtual.advance(1)
      a.answerAll()
    }
    // One at the ceiling (no samples yet), one earlier once the first sample brings the threshold down.
    expect(sets()).toBe(2)
    expect(virtual.pending).toBe(1)
  })

  it('uses the platform’s timers by default', async () => {
    const lender = createLender({ speculateFloorMs: 5, speculateCeilingMs: 10 })
    pull(pull.values(jobs(1)), lender.sink)
    const out = collectNow(lender)
    const a = manualBorrower(lender.lendStream())
    const b = manualBorrower(lender.lendStream())
    a.read()
    b.read()
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(b.batches).toEqual([[job(0)]])
    b.answerAll()
    expect(out.values).toEqual([settledOk(0)])
    expect(out.end()).toBe(true)
  })
})
