import type { Job } from '@pando/protocol'
import pull from 'pull-stream'
import { describe, expect, it } from 'vitest'
import {
  ADAPTIVE_BATCH_MS,
  ADAPTIVE_MAX_BATCH_PER_WORKER,
  BATCHES_IN_FLIGHT,
  MAX_HIDDEN_ROUND_TRIP_MS,
  START_SOON_MS,
} from '../src/constants.ts'
import { adaptiveBatchSizing, createLender, fixedBatchSizing, lendToRemote } from '../src/index.ts'
import { VirtualClock } from './sim.ts'
import { jobs, success } from './util.ts'

/**
 * A borrower that computes each item in `msPerItem` after a round trip of `roundTripMs`, one batch after
 * the other, driven by a virtual clock: what the adaptive sizing sees of a real volunteer. With
 * `toldRoundTrip`, the lender is told the round trip (as the heartbeats measure it).
 */
function simulate(
  msPerItem: number,
  roundTripMs: number,
  items: number,
  toldRoundTrip = false,
): { batches: number[]; clock: VirtualClock } {
  const clock = new VirtualClock()
  const lender = createLender({ clock: clock.lenderClock(), speculate: false })
  pull(pull.values(jobs(items)), lender.sink)
  pull(lender.source, pull.drain())
  const batches: number[] = []
  let busyUntil = 0
  const remote = lendToRemote(
    lender.lendStream(),
    (batch: Job[]) => {
      batches.push(batch.length)
      const start = Math.max(clock.now + roundTripMs / 2, busyUntil)
      busyUntil = start + batch.length * msPerItem
      clock.at(busyUntil + roundTripMs / 2 - clock.now, () =>
        remote.receive(batch.map((job) => success(job))),
      )
    },
    {
      batchSize: 'auto',
      clock: clock.lenderClock(),
      ...(toldRoundTrip ? { roundTrip: () => roundTripMs } : {}),
    },
  )
  clock.run()
  return { batches, clock }
}

describe('adaptive batch sizing', () => {
  it('grows to thousands of trivial items per batch within a few round trips', () => {
    const msPerItem = 0.05
    const { batches } = simulate(msPerItem, 1, 50_000)
    // One item until it answers (earnedCredit: 1 + 4 per answer), then a batch of 4 and the one more it earned.
    expect(batches.slice(0, 3)).toEqual([1, 4, 1])
    // One batch time of items of 50 µs: 2,000 at 100 ms.
    expect(batches.findIndex((size) => size === ADAPTIVE_BATCH_MS / msPerItem)).toBeLessThan(40)
    expect(simulate(0.001, 1, 100_000).batches).toContain(ADAPTIVE_MAX_BATCH_PER_WORKER)
  })

  it('carries a tenth of a second of 10 ms items per message, so that its fixed cost is small beside its work', () => {
    // A message costs some milliseconds of CPU outside the Workers (bench/README.md): at 20 ms of work per
    // message, two items of 10 ms, that cost was a third of the work.
    const { batches } = simulate(10, 1, 500)
    expect(Math.max(...batches)).toBe(10)
    // Most of them whole batches: the growth (four times per sample) reaches it within a few messages.
    expect(batches.filter((size) => size === 10).length).toBeGreaterThan(500 / 10 / 2)
  })

  it('keeps items of 10 ms to one batch time per batch, so that they spread over every borrower', () => {
    const { batches } = simulate(10, 1, 500)
    expect(Math.max(...batches)).toBeLessThanOrEqual(ADAPTIVE_BATCH_MS / 10)
  })

  it('keeps slow items to one per batch per worker', () => {
    const { batches } = simulate(1_000, 1, 20)
    expect(new Set(batches)).toEqual(new Set([1]))
  })

  it('keeps the borrower busy: a batch computes while the next one travels', () => {
    const { clock } = simulate(0.005, 1, 100_000)
    // 100,000 items at 5 µs take 500 ms of computing; the round trips and the growth add little.
    expect(clock.now).toBeLessThan(600)
  })

  it('keeps a far borrower busy once told the round trip, with the batches of a near one', () => {
    // 50 ms away: 1,000 items of 10 ms are 10 s of computing.
    const far = simulate(10, 50, 1_000, true)
    expect(far.clock.now).toBeLessThan(10_500)
    expect(Math.max(...far.batches)).toBeLessThanOrEqual(ADAPTIVE_BATCH_MS / 10)
    const trivial = simulate(0.005, 50, 200_000, true)
    // 1 s of computing, plus the few round trips in which a new borrower earns its credit (earnedCredit).
    expect(trivial.clock.now).toBeLessThan(1_500)
    // Not told, it counts the travel as computing: smaller batches, too little credit, the borrower waits.
    expect(simulate(10, 50, 1_000).clock.now).toBeGreaterThan(11_000)
  })

  it('adds the jobs of one round trip to the credit, nothing for an unknown one, and at most MAX_HIDDEN_ROUND_TRIP_MS', () => {
    const clock = new VirtualClock()
    const sizing = adaptiveBatchSizing(1, clock.lenderClock())
    sizing.setRoundTrip(100)
    expect(sizing.credit).toBe(2) // no speed measured yet
    sizing.sent(1, 0)
    clock.advance(110) // 100 ms of travel, 10 of computing
    sizing.received(1, 0)
    // Items of 10 ms: the batch grows toward one batch time of them, at most ADAPTIVE_MAX_GROWTH times.
    const batch = sizing.batch
    expect(batch).toBeGreaterThan(1)
    expect(batch).toBeLessThanOrEqual(ADAPTIVE_BATCH_MS / 10)
    expect(sizing.credit).toBe(BATCHES_IN_FLIGHT * batch + 10)
    sizing.setRoundTrip(Number.NaN)
    expect(sizing.credit).toBe(BATCHES_IN_FLIGHT * batch)
    sizing.setRoundTrip(1e12)
    // An absurd round trip hides no more than MAX_HIDDEN_ROUND_TRIP_MS of work (startSoonCredit).
    expect(sizing.credit).toBe((START_SOON_MS + MAX_HIDDEN_ROUND_TRIP_MS) / 10)
  })

  it('shrinks fast when items become slow', () => {
    const clock = new VirtualClock()
    const sizing = adaptiveBatchSizing(1, clock.lenderClock())
    for (let round = 0; round < 10; round++) {
      sizing.sent(sizing.batch, 0)
      clock.advance(sizing.batch * 0.01)
      sizing.received(sizing.batch, 0)
    }
    const fast = sizing.batch
    expect(fast).toBeGreaterThan(1_000)
    sizing.sent(sizing.batch, 0)
    clock.advance(sizing.batch * 10)
    sizing.received(sizing.batch, 0)
    // Items 1,000 times slower: over ten times smaller in one sample, the smoothing taking the rest.
    expect(sizing.batch).toBeLessThan(fast / 10)
  })

  it('scales its bounds with the workers behind the borrower', () => {
    const sizing = adaptiveBatchSizing(3, new VirtualClock().lenderClock())
    expect(sizing.batch).toBe(3)
    expect(sizing.credit).toBe(6)
    sizing.setWorkers(5)
    expect(sizing.batch).toBe(5)
  })
})

describe('fixed batch sizing', () => {
  it('gives two batches per worker, capped so that a child claiming absurd workers cannot break the lender', () => {
    const sizing = fixedBatchSizing(8, 3)
    expect(sizing.credit).toBe(48)
    sizing.setWorkers(2 ** 60)
    expect(sizing.credit).toBe(Number.MAX_SAFE_INTEGER)
  })
})

describe('message size limits', () => {
  it('cuts a batch into messages that fit, sends a larger item alone, and answers one over maxItemChars with a TransportLimitError', async () => {
    const lender = createLender({ retries: 0 })
    const items: Job[] = [
      { id: 0, value: 'a'.repeat(500) },
      { id: 1, value: 'b'.repeat(500) },
      { id: 2, value: 'd' },
      { id: 3, value: 'c'.repeat(2_000) },
      { id: 4, value: 'e'.repeat(5_000) },
    ]
    pull(pull.values(items), lender.sink)
    const sent: Job[][] = []
    const remote = lendToRemote(lender.lendStream(), (batch) => sent.push(batch), {
      batchSize: 10,
      maxMessageChars: 1_000,
      maxItemChars: 3_000,
    })
    const results = new Promise<unknown[]>((resolve) =>
      pull(
        lender.source,
        pull.collect((_, all) => resolve(all)),
      ),
    )
    // A new borrower may hold one item until it answers (earnedCredit), then five.
    expect(sent.map((batch) => batch.map((job) => job.id))).toEqual([[0]])
    remote.receive(sent.flat().map((job) => success(job, 'ok')))
    expect(sent.slice(1).map((batch) => batch.map((job) => job.id))).toEqual([[1, 2], [3]])
    remote.receive(
      sent
        .slice(1)
        .flat()
        .map((job) => success(job, 'ok')),
    )
    const settled = (await results) as {
      id: number
      ok: boolean
      error?: { name: string; message: string }
    }[]
    expect(settled.map((item) => [item.id, item.ok])).toEqual([
      [0, true],
      [1, true],
      [2, true],
      [3, true],
      [4, false],
    ])
    expect(settled[4]?.error).toEqual({
      name: 'TransportLimitError',
      message: 'the item is 5002 characters of JSON; a link carries at most 3000',
    })
  })
})
