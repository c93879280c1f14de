// The properties of the original pull-lend-stream and pull-lend (elavoie), restated for this lender. Where
// our semantics differ on purpose (no borrower callback, id matching, batches, retries, sub-streams ended by
// the lender), the test name says how; SPEC.md lists the differences.
import type { Job } from '@pando/protocol'
import fc from 'fast-check'
import pull from 'pull-stream'
import { describe, expect, it } from 'vitest'
import { createLender, type SubStream } from '../src/index.ts'
import { clockSource, simBorrower, VirtualClock, type BorrowerSpec } from './sim.ts'
import {
  collectNow,
  countingSource,
  failure,
  job,
  jobs,
  manualBorrower,
  readOnce,
  settledOk,
  success,
  syncBorrower,
} from './util.ts'

/** A borrower that answers every job with `negate` after `delay` virtual ms. */
const steady = (delay: (j: Job) => number): BorrowerSpec => ({ delay, compute: (j) => success(j) })

/** A seeded random number in [0, 1), so that every run is the same. */
function seeded(seed: number): () => number {
  const values = fc.sample(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), {
    seed,
    numRuns: 100_000,
  })
  let i = 0
  return () => values[i++ % values.length] as number
}

describe('pull-lend-stream properties', () => {
  it('transparent streaming: a borrower that answers each job with its value gives the input back', () => {
    const lender = createLender()
    pull(pull.values(jobs(3)), lender.sink)
    syncBorrower(lender.lendStream(), (j) => success(j, j.value))
    const out = collectNow(lender)
    expect(out.values.map((x) => x.ok && x.result)).toEqual(['0', '1', '2'])
  })

  it('Property 1: if no sub-stream is read, the input is never read', () => {
    const lender = createLender()
    const input = countingSource()
    pull(input.source, lender.sink)
    collectNow(lender)
    for (let i = 0; i < 10; i++) lender.lendStream({ credit: 5 })
    expect(input.reads()).toBe(0)
  })

  it('Property 2: several sub-streams, made by calling lendStream several times, all get items', () => {
    const clock = new VirtualClock()
    const lender = createLender()
    pull(
      clockSource(clock, jobs(11), () => 0),
      lender.sink,
    )
    const out = collectNow(lender)
    const b1 = simBorrower(
      clock,
      lender.lendStream(),
      steady(() => 50),
    )
    const b2 = simBorrower(
      clock,
      lender.lendStream(),
      steady(() => 50),
    )
    clock.run()
    expect(out.values).toEqual(jobs(11).map((j) => settledOk(j.id)))
    expect(b1.seen.length).toBeGreaterThan(0)
    expect(b2.seen.length).toBeGreaterThan(0)
    expect(b1.seen.length + b2.seen.length).toBe(11)
  })

  it('Property 3: lendStream always returns a sub-stream at once (no error callback), and a read source eventually ends', () => {
    const clock = new VirtualClock()
    const lender = createLender()
    pull(
      clockSource(clock, jobs(4), () => 1),
      lender.sink,
    )
    const out = collectNow(lender)
    const subs: SubStream[] = []
    let ended = 0
    for (let i = 0; i < 100; i++) {
      clock.at(i % 7, () => {
        const sub = lender.lendStream()
        subs.push(sub)
        simBorrower(
          clock,
          sub,
          steady(() => 1),
        )
        // A second reader of the end: once the sub-stream is closed its source answers the end at once.
        clock.at(50, () => sub.source(null, (end) => (ended += end === true ? 1 : 0)))
      })
    }
    clock.run()
    expect(out.end()).toBe(true)
    expect(subs).toHaveLength(100)
    expect(ended).toBe(100)
  })

  it('Property 4: the output ends once the input ended and every item is emitted; the lender then ends the sub-streams (the original waited for them to close)', () => {
    const lender = createLender()
    pull(pull.values(jobs(3)), lender.sink)
    const sub = lender.lendStream({ credit: 3 })
    const b = manualBorrower(sub)
    b.read()
    b.answerAll()
    const out = collectNow(lender)
    expect(out.end()).toBe(null) // the end of the input is only read when a sub-stream asks for more
    b.read() // the borrower never ends its sink, but keeps reading
    expect(out.end()).toBe(true)
    expect(b.ended()).toBe(true)
    expect(sub.closed).toBe(true)
  })

  it('Property 5: the output gives the results in the order the input was read (10,000 items, 1,000 sub-streams)', () => {
    const clock = new VirtualClock()
    const random = seeded(5)
    const lender = createLender({ window: 2048 })
    pull(
      clockSource(clock, jobs(10_000), () => 0),
      lender.sink,
    )
    const out = collectNow(lender)
    for (let i = 0; i < 1000; i++)
      simBorrower(
        clock,
        lender.lendStream(),
        steady(() => Math.floor(random() * 50)),
      )
    clock.run()
    expect(out.end()).toBe(true)
    expect(out.values).toEqual(jobs(10_000).map((j) => settledOk(j.id)))
  })

  it('Property 6: what a sub-stream held when it failed goes to the others; with faulty borrowers over 2,000 items the output equals the input, in order', () => {
    const clock = new VirtualClock()
    const random = seeded(6)
    const lender = createLender()
    pull(
      clockSource(clock, jobs(2000), () => 0),
      lender.sink,
    )
    const out = collectNow(lender)
    const faulty = (n: number): BorrowerSpec => ({
      ...steady(() => Math.floor(random() * 50)),
      leaveAfter: n,
      leaveHow: n === 0 ? 'abort-source' : 'sink-error',
    })
    for (let i = 0; i < 200; i++) {
      for (const spec of [
        faulty(0),
        faulty(1),
        faulty(2),
        faulty(3),
        steady(() => Math.floor(random() * 50)),
      ]) {
        clock.at(Math.floor(random() * 100), () => simBorrower(clock, lender.lendStream(), spec))
      }
    }
    clock.run()
    expect(out.end()).toBe(true)
    expect(out.values).toEqual(jobs(2000).map((j) => settledOk(j.id)))
    expect(lender.state().relent).toBeGreaterThan(0)
  })

  it('Property 7: unfair, a sub-stream that answers faster gets more items (fast, medium, slow)', () => {
    const clock = new VirtualClock()
    const lender = createLender()
    pull(
      clockSource(clock, jobs(100), () => 0),
      lender.sink,
    )
    const out = collectNow(lender)
    const fast = simBorrower(
      clock,
      lender.lendStream(),
      steady(() => 1000 / 400),
    )
    const medium = simBorrower(
      clock,
      lender.lendStream(),
      steady(() => 1000 / 200),
    )
    const slow = simBorrower(
      clock,
      lender.lendStream(),
      steady(() => 1000 / 100),
    )
    clock.run()
    expect(out.values).toHaveLength(100)
    expect(fast.seen.length + medium.seen.length + slow.seen.length).toBe(100)
    expect(fast.seen.length).toBeGreaterThan(medium.seen.length)
    expect(medium.seen.length).toBeGreaterThan(slow.seen.length)
  })

  it('Property 7: unfair, a greedy sub-stream with credit for everything takes every item before a slower one reads', () => {
    const clock = new VirtualClock()
    const lender = createLender()
    pull(
      clockSource(clock, jobs(1000), () => 0),
      lender.sink,
    )
    const out = collectNow(lender)
    const eager = simBorrower(
      clock,
      lender.lendStream({ credit: 1000 }),
      steady(() => 1),
    )
    const b100 = simBorrower(
      clock,
      lender.lendStream(),
      steady(() => 10),
    )
    clock.run()
    expect(out.values).toHaveLength(1000)
    expect(eager.seen).toHaveLength(1000)
    expect(b100.seen).toHaveLength(0)
  })

  it('Property 8.1: a sub-stream made before the lender is connected works once it is (the original gave an error)', async () => {
    const lender = createLender()
    const sub = lender.lendStream()
    syncBorrower(sub)
    pull(countingSource().source, lender.sink)
    expect(await readOnce(lender.source)).toEqual({ end: null, value: settledOk(0) })
    expect(await readOnce(lender.source)).toEqual({ end: null, value: settledOk(1) })
  })

  it('Property 8.2: once the output is aborted, every sub-stream ends and a new one ends at once', async () => {
    const lender = createLender()
    const early = manualBorrower(lender.lendStream())
    pull(countingSource().source, lender.sink)
    syncBorrower(lender.lendStream())
    expect((await readOnce(lender.source)).value).toEqual(settledOk(0))
    expect(await readOnce(lender.source)).toEqual({ end: null, value: settledOk(1) })
    await new Promise((resolve) => lender.source(true, resolve))
    early.read()
    expect(early.ended()).toBe(true)
    expect((await readOnce(lender.lendStream().source)).end).toBe(true)
  })

  it('Property 8.3: once every item was lent and answered and the input ended, a new sub-stream ends at once', async () => {
    const lender = createLender()
    pull(countingSource(2).source, lender.sink)
    syncBorrower(lender.lendStream())
    expect((await readOnce(lender.source)).value).toEqual(settledOk(0))
    expect((await readOnce(lender.source)).value).toEqual(settledOk(1))
    expect((await readOnce(lender.source)).end).toBe(true)
    expect((await readOnce(lender.lendStream().source)).end).toBe(true)
  })
})

describe('pull-lend properties', () => {
  it('Property 1: each input read is asked for by a sub-stream with free credit (not every read of a sub-stream reads the input)', () => {
    const lender = createLender()
    const input = countingSource(3)
    pull(input.source, lender.sink)
    const b = manualBorrower(lender.lendStream({ credit: 1 }))
    b.read()
    expect(input.reads()).toBe(1)
    b.read() // no free credit: no input read
    expect(input.reads()).toBe(1)
    b.answerAll() // credit frees: the waiting read asks the input
    expect(input.reads()).toBe(2)
    expect(b.batches).toEqual([[job(0)], [job(1)]])
  })

  it('Property 2: several items are lent at the same time to several sub-streams', () => {
    const lender = createLender()
    pull(countingSource().source, lender.sink)
    for (let i = 0; i < 3; i++) manualBorrower(lender.lendStream({ credit: 2 })).read()
    expect(lender.state().lent).toBe(6)
  })

  it('Property 3: every waiting sub-stream read is answered, with jobs or the end, before the output ends', () => {
    const lender = createLender()
    pull(pull.values(jobs(2)), lender.sink)
    const borrowers = [1, 2, 3].map(() => manualBorrower(lender.lendStream()))
    for (const b of borrowers) b.read()
    for (const b of borrowers) b.answerAll()
    const out = collectNow(lender)
    expect(out.end()).toBe(true)
    for (const b of borrowers) expect(b.reading()).toBe(false)
  })

  it('Property 4: results come out in the order the items were read, whatever order they are answered in', () => {
    const lender = createLender()
    pull(pull.values(jobs(4)), lender.sink)
    const b = manualBorrower(lender.lendStream({ credit: 4 }))
    b.read()
    b.answer([2, 0, 3, 1].map((i) => success(job(i))))
    b.read()
    expect(collectNow(lender).values).toEqual(jobs(4).map((j) => settledOk(j.id)))
  })

  it('Property 5: an item whose function failed is given to another sub-stream later (ours: a bounded number of times)', () => {
    const lender = createLender()
    pull(pull.values(jobs(1)), lender.sink)
    const a = manualBorrower(lender.lendStream({ name: 'a' }))
    const b = manualBorrower(lender.lendStream({ name: 'b' }))
    a.read()
    b.read() // waits: nothing left
    a.answer([failure(job(0))])
    a.read()
    expect(b.batches).toEqual([[job(0)]])
    expect(a.batches).toHaveLength(1)
  })

  it('Property 6: a sub-stream ends at once only after the output was aborted or everything was lent and answered (never for not being connected yet)', async () => {
    const before = createLender()
    const waiting = manualBorrower(before.lendStream())
    waiting.read()
    expect(waiting.reading()).toBe(true) // not connected: waits instead of failing
    const aborted = createLender()
    aborted.source(true, () => {})
    expect((await readOnce(aborted.lendStream().source)).end).toBe(true)
    const done = createLender()
    pull(pull.values(jobs(1)), done.sink)
    syncBorrower(done.lendStream())
    expect(collectNow(done).end()).toBe(true)
    expect((await readOnce(done.lendStream().source)).end).toBe(true)
  })

  it('Property 7: for N items lent one at a time, a sub-stream reads N batches and its next read ends', () => {
    const lender = createLender()
    pull(pull.values(jobs(5)), lender.sink)
    const b = manualBorrower(lender.lendStream({ credit: 1 }))
    for (let i = 0; i < 5; i++) {
      b.read()
      b.answerAll()
    }
    expect(b.batches).toEqual(jobs(5).map((j) => [j]))
    b.read()
    expect(b.ended()).toBe(true)
  })
})
