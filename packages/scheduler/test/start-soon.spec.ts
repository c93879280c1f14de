import type { Job } from '@pando/protocol'
import pull from 'pull-stream'
import { describe, expect, it } from 'vitest'
import {
  ADAPTIVE_BATCH_MS,
  BATCHES_IN_FLIGHT,
  MAX_HIDDEN_ROUND_TRIP_MS,
  START_SOON_MS,
} from '../src/constants.ts'
import { adaptiveBatchSizing, createLender, lendToRemote } from '../src/index.ts'
import { startSoonCredit } from '../src/start-soon.ts'
import { VirtualClock } from './sim.ts'
import { jobs, success } from './util.ts'

/**
 * A tab whose Worker runs every item it holds at once (an async module: each item waits `waitMs`), seen
 * from the lender through `lendToRemote` with adaptive batches, over a link whose round trip is measured
 * at `roundTripMs` (a busy machine). Returns the most it held at once over `rounds` rounds of `waitMs`.
 */
function concurrentBorrower(options: {
  readonly waitMs: number
  readonly roundTripMs: number
  readonly workers?: number
  readonly reportsOwnTime?: boolean
  readonly rounds?: number
}): number {
  const clock = new VirtualClock()
  const lender = createLender()
  pull(pull.values(jobs(100_000)), lender.sink)
  pull(lender.source, pull.drain())
  const subStream = lender.lendStream()
  const held: Job[] = []
  const remote = lendToRemote(subStream, (batch) => held.push(...batch), {
    batchSize: 'auto',
    workers: options.workers ?? 1,
    roundTrip: () => options.roundTripMs,
    clock: clock.lenderClock(),
  })
  let most = 0
  for (let round = 0; round < (options.rounds ?? 30); round++) {
    most = Math.max(most, held.length)
    clock.advance(options.waitMs)
    const answered = held.splice(0)
    remote.receive(
      answered.map((job) => success(job)),
      options.reportsOwnTime === true ? options.waitMs : undefined,
    )
  }
  return most
}

describe('no hoarding: a remote borrower holds what it will start soon (startSoonCredit)', () => {
  it('never lets a tab running its items at once hold more than two items of 1 s, however long its round trip', () => {
    // The tab: 1 s items overlap in its Worker, and on a busy machine the round trip is measured
    // longer than the items take, so that answers seemed to have cost nothing: the credit grew by every
    // answer (earnedCredit), to a hundred items and more.
    for (const roundTripMs of [0, 3_000, 60_000])
      expect(concurrentBorrower({ waitMs: 1_000, roundTripMs, reportsOwnTime: true })).toBe(BATCHES_IN_FLIGHT)
    // Without the tab's own time, the answers' timing alone keeps it there too.
    expect(concurrentBorrower({ waitMs: 1_000, roundTripMs: 3_000 })).toBe(BATCHES_IN_FLIGHT)
  })

  it('takes the borrower’s concurrency (its Workers; for a subtree, their sum) as a parameter', () => {
    const threeWorkers = { waitMs: 1_000, roundTripMs: 3_000, workers: 3, reportsOwnTime: true }
    expect(concurrentBorrower(threeWorkers)).toBe(3 * BATCHES_IN_FLIGHT)
    expect(startSoonCredit(3, 1_000, 3_000)).toBe(3 * BATCHES_IN_FLIGHT)
    expect(startSoonCredit(0, 1_000)).toBe(BATCHES_IN_FLIGHT) // at least one
    expect(startSoonCredit(1, undefined)).toBe(BATCHES_IN_FLIGHT) // not measured yet
  })

  it('still lends trivial items by the thousand, and covers a round trip of at most half a second', () => {
    // The start-soon horizon is the batches in flight: two batch times of work per Worker.
    expect(START_SOON_MS).toBe(BATCHES_IN_FLIGHT * ADAPTIVE_BATCH_MS)
    expect(startSoonCredit(1, 0.01)).toBe(START_SOON_MS / 0.01) // 20,000 items of 10 µs at 200 ms
    expect(startSoonCredit(2, 10, 100)).toBe((2 * (START_SOON_MS + 100)) / 10)
    // Not the absurd round trip: half a second at most.
    expect(startSoonCredit(1, 10, 1e9)).toBe((START_SOON_MS + MAX_HIDDEN_ROUND_TRIP_MS) / 10)
    expect(startSoonCredit(1, 1_000, 50)).toBe(BATCHES_IN_FLIGHT) // items of 1 s: two per Worker
  })
})

describe('honest time per item for items that wait (BatchSizing.reported)', () => {
  it('does not take a Worker running 50 timers of 100 ms at once for one 50 times faster', () => {
    const clock = new VirtualClock()
    const timed = adaptiveBatchSizing(1, clock.lenderClock())
    const told = adaptiveBatchSizing(1, clock.lenderClock())
    for (const sizing of [timed, told]) {
      sizing.sent(50, 0)
      clock.advance(100)
      sizing.received(50, 0)
    }
    // Timed here only, 50 answers in 100 ms look like 2 ms each: the batch grows (four times per sample).
    expect(timed.batch).toBe(4)
    expect(timed.credit).toBe(8)
    told.reported(100)
    expect(told.batch).toBe(1)
    expect(told.credit).toBe(BATCHES_IN_FLIGHT)
  })

  it('takes the larger of the two figures: a borrower cannot look faster by saying so', () => {
    const clock = new VirtualClock()
    const sizing = adaptiveBatchSizing(1, clock.lenderClock())
    sizing.sent(1, 0)
    clock.advance(150)
    sizing.received(1, 0)
    for (const ms of [0.001, 0, -5, Number.NaN, Number.POSITIVE_INFINITY]) sizing.reported(ms)
    expect(sizing.batch).toBe(1)
    expect(sizing.credit).toBe(BATCHES_IN_FLIGHT)
  })

  it("shares a Worker's own time among the borrower's Workers: 2 Workers of 10 ms hold twice what 1 holds", () => {
    const clock = new VirtualClock()
    const sized = (workers: number): { batch: number; credit: number } => {
      const sizing = adaptiveBatchSizing(workers, clock.lenderClock())
      // Its Workers run side by side: 4 items per Worker in 40 ms, each 10 ms of its Worker's own time.
      sizing.sent(4 * workers, 0)
      clock.advance(40)
      sizing.received(4 * workers, 0)
      sizing.reported(10)
      return { batch: sizing.batch, credit: sizing.credit }
    }
    const one = sized(1)
    // One batch time of items of 10 ms, and the batches in flight.
    expect(one).toEqual({
      batch: ADAPTIVE_BATCH_MS / 10,
      credit: (BATCHES_IN_FLIGHT * ADAPTIVE_BATCH_MS) / 10,
    })
    // Taking the Worker's 10 ms for the whole tab's time per item lent 2 Workers what 1 gets (4): one idled.
    expect(sized(2)).toEqual({ batch: 2 * one.batch, credit: 2 * one.credit })
  })

  it('keeps a tab of 20 ms timers to what it starts in START_SOON_MS when it tells its own time, where timing alone let it grow', () => {
    const honest = concurrentBorrower({ waitMs: 20, roundTripMs: 0, reportsOwnTime: true })
    const timedOnly = concurrentBorrower({ waitMs: 20, roundTripMs: 0 })
    expect(honest).toBe(START_SOON_MS / 20)
    expect(timedOnly).toBeGreaterThan(honest)
  })
})
