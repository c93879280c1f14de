// Borrowers that lie or hoard (issue 12): ones that fail every item, ones that take items and never answer,
// and one that is fast and then late. The lender must finish with every item computed by the honest ones,
// drop the failers without counting their failures against the items, and keep its straggler threshold
// to the honest borrowers' pace. All on a virtual clock.
import fc from 'fast-check'
import pull from 'pull-stream'
import { describe, expect, it } from 'vitest'
import { DiscreditedError, createLender, type Lender, type Settled, type SubStream } from '../src/index.ts'
import { robustPercentile } from '../src/stragglers.ts'
import { simBorrower, VirtualClock, clockSource } from './sim.ts'
import { failure, jobs, settledOk, success } from './util.ts'

/** Reads the whole output: its values, whether it ended, and when (virtual ms). */
function drain(
  lender: Lender,
  clock: VirtualClock,
): { values: Settled[]; ended: () => boolean; endedAt: () => number } {
  const values: Settled[] = []
  let endedAt = Number.NaN
  pull(
    lender.source,
    pull.drain(
      (value) => void values.push(value),
      () => void (endedAt = clock.now),
    ),
  )
  return { values, ended: () => !Number.isNaN(endedAt), endedAt: () => endedAt }
}

describe('borrowers that fail every item (SPEC 21, 44–46)', () => {
  it('finishes with every item computed when three of four borrowers fail everything, and drops the failers', () => {
    fc.assert(
      fc.property(
        fc.record({
          n: fc.integer({ min: 1, max: 120 }),
          retries: fc.integer({ min: 1, max: 3 }),
          failers: fc.integer({ min: 1, max: 3 }),
          failerCredit: fc.integer({ min: 1, max: 4 }),
          failerDelay: fc.integer({ min: 0, max: 3 }),
          honestCredit: fc.integer({ min: 1, max: 4 }),
          honestDelay: fc.integer({ min: 1, max: 10 }),
          ordered: fc.boolean(),
        }),
        (s) => {
          const clock = new VirtualClock()
          const lender = createLender({ ordered: s.ordered, retries: s.retries, clock: clock.lenderClock() })
          pull(
            clockSource(clock, jobs(s.n), () => 0),
            lender.sink,
          )
          const out = drain(lender, clock)
          const dropped: { sub: SubStream; reason: Error }[] = []
          const join = (credit: number, spec: Parameters<typeof simBorrower>[2]): SubStream => {
            const sub: SubStream = lender.lendStream({
              credit,
              onDropped: (reason) => dropped.push({ sub, reason }),
            })
            simBorrower(clock, sub, spec)
            return sub
          }
          // The failers join first, so they take the first items.
          const failers = Array.from({ length: s.failers }, () =>
            join(s.failerCredit, { delay: () => s.failerDelay, compute: (j) => failure(j, 'no such API') }),
          )
          const honest = join(s.honestCredit, { delay: () => s.honestDelay, compute: (j) => success(j) })
          clock.run()
          expect(out.ended()).toBe(true)
          const values = s.ordered ? out.values : [...out.values].sort((a, b) => a.id - b.id)
          expect(values).toEqual(jobs(s.n).map((j) => settledOk(j.id)))
          expect(dropped.map((d) => d.sub)).not.toContain(honest)
          for (const { sub, reason } of dropped) {
            expect(failers).toContain(sub)
            expect(reason).toBeInstanceOf(DiscreditedError)
            expect(reason.message).toMatch(/^failed \d+ items \(\d+ of them computed by other volunteers\)/)
          }
          // A failer that failed three items the honest one computed is dropped, unless lending ended first.
          if (s.n >= 40) expect(dropped.length).toBeGreaterThan(0)
        },
      ),
      { numRuns: 200 },
    )
  }, 60_000)

  it('still reports an item that fails everywhere, after retries + 1 attempts, and drops no one', () => {
    const clock = new VirtualClock()
    const lender = createLender({ retries: 2, clock: clock.lenderClock() })
    pull(
      clockSource(clock, jobs(30), () => 0),
      lender.sink,
    )
    const out = drain(lender, clock)
    const dropped: Error[] = []
    const compute = (j: { id: number; value: string }) =>
      j.id % 10 === 3 ? failure(j, 'bad item') : success(j)
    for (const delay of [1, 2, 3]) {
      const sub = lender.lendStream({ credit: 2, onDropped: (reason) => dropped.push(reason) })
      simBorrower(clock, sub, { delay: () => delay, compute })
    }
    clock.run()
    expect(out.values).toEqual(
      jobs(30).map((j) =>
        j.id % 10 === 3
          ? { ...j, ok: false, error: { name: 'Error', message: 'bad item' }, attempts: 3 }
          : settledOk(j.id),
      ),
    )
    expect(dropped).toEqual([])
    expect(lender.state().failures).toBe(9)
  })

  it('retries a failed item on a borrower that computes rather than on one that fails more than it computes', () => {
    const clock = new VirtualClock()
    const lender = createLender({ retries: 1, clock: clock.lenderClock() })
    pull(
      clockSource(clock, jobs(10), () => 0),
      lender.sink,
    )
    const out = drain(lender, clock)
    // Two failers and a slow honest borrower: without the preference, an item failed by one failer goes to
    // the other (which reads first) and settles failed after two attempts.
    for (let i = 0; i < 2; i++)
      simBorrower(clock, lender.lendStream({ credit: 1 }), { delay: () => 0, compute: (j) => failure(j) })
    simBorrower(clock, lender.lendStream({ credit: 1 }), { delay: () => 5, compute: (j) => success(j) })
    clock.run()
    expect(out.values).toEqual(jobs(10).map((j) => settledOk(j.id)))
  })
})

describe('borrowers that hold items and never answer (SPEC 37)', () => {
  it('gets every item computed with hoarders pinning two items each, new hoarders joining on the way', () => {
    const clock = new VirtualClock()
    const lender = createLender({ clock: clock.lenderClock() })
    pull(
      clockSource(clock, jobs(500), () => 0),
      lender.sink,
    )
    const out = drain(lender, clock)
    const hoard = (): void => {
      simBorrower(clock, lender.lendStream({ credit: 2 }), {
        delay: () => Infinity,
        compute: (j) => success(j),
      })
    }
    for (let i = 0; i < 100; i++) hoard()
    simBorrower(clock, lender.lendStream({ credit: 4 }), { delay: () => 5, compute: (j) => success(j) })
    // A hoarder joins every 100 ms until the run is over, each with room for a straggler's copy.
    const more = (): void => {
      if (out.ended()) return
      hoard()
      clock.at(100, more)
    }
    clock.at(100, more)
    clock.run(10_000_000)
    expect(out.values).toEqual(jobs(500).map((j) => settledOk(j.id)))
    // 300 items of 5 ms on the honest borrower, 200 copies after the 1 s floor: seconds, not hours.
    expect(out.endedAt()).toBeLessThan(30_000)
  })
})

describe('the straggler threshold (SPEC 35)', () => {
  const p95 = (values: number[]): number => {
    const sorted = [...values].sort((a, b) => a - b)
    return sorted[Math.max(0, Math.ceil(0.95 * sorted.length) - 1)] as number
  }

  it('is the p95 of one borrower when there is one', () => {
    const durations = Float64Array.from([5, 1, 3, 100, 2])
    const owner = {}
    expect(robustPercentile(durations, Array(5).fill(owner), 0.95)).toBe(100)
  })

  it('cannot be raised above every honest borrower’s own p95 by one borrower, whatever its times', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.integer({ min: 1, max: 1_000 }), { minLength: 1, maxLength: 40 }), {
          minLength: 1,
          maxLength: 5,
        }),
        fc.array(fc.integer({ min: 1, max: 10_000_000 }), { minLength: 1, maxLength: 200 }),
        fc.integer({ min: 0, max: 1_000 }),
        (honest, liar, seed) => {
          const samples: [number, object][] = []
          const owners = honest.map(() => ({}))
          honest.forEach((times, i) => times.forEach((ms) => samples.push([ms, owners[i] as object])))
          const liarOwner = {}
          for (const ms of liar) samples.push([ms, liarOwner])
          // Interleaved in any order: the ring keeps no order by owner.
          samples.sort((a, b) => ((a[0] * 7919 + seed) % 1009) - ((b[0] * 7919 + seed) % 1009))
          const value = robustPercentile(
            Float64Array.from(samples.map(([ms]) => ms)),
            samples.map(([, owner]) => owner),
            0.95,
          )
          expect(value).toBeLessThanOrEqual(Math.max(...honest.map(p95)))
        },
      ),
    )
  })

  it('copies a straggling head though a fast-then-late borrower answered many items late', () => {
    const clock = new VirtualClock()
    const lender = createLender({ clock: clock.lenderClock(), speculateFloorMs: 10 })
    pull(
      clockSource(clock, jobs(400), () => 0),
      lender.sink,
    )
    const out = drain(lender, clock)
    // It answers its first 40 items at once, then every item after 10 s (pushing the pooled p95 to 10 s).
    let answered = 0
    const late = lender.lendStream({ credit: 8 })
    simBorrower(clock, late, { delay: () => (answered++ < 40 ? 1 : 10_000), compute: (j) => success(j) })
    simBorrower(clock, lender.lendStream({ credit: 2 }), { delay: () => 2, compute: (j) => success(j) })
    simBorrower(clock, lender.lendStream({ credit: 2 }), { delay: () => 3, compute: (j) => success(j) })
    clock.run()
    expect(out.values).toEqual(jobs(400).map((j) => settledOk(j.id)))
    expect(lender.state().speculated).toBeGreaterThan(0)
    // Each late item is copied after 4 × the honest p95 (some ms), not after 4 × 10 s.
    expect(out.endedAt()).toBeLessThan(1_000)
  })
})
