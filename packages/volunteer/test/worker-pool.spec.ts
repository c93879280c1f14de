// The tab's pool of Workers, with stand-in lanes (they answer when the test says) and a fake clock: how the
// queue is shared, the duty cycle of a CPU-use setting, pause and resume, and resizing.
import type { Job, Outcome } from '@pando/protocol'
import { describe, expect, it } from 'vitest'
import { restAfter } from '../src/duty-cycle.ts'
import { NO_FIGURES } from '../src/worker-figures.ts'
import { WorkerPool, type LaneEvents, type PoolClock } from '../src/worker-pool.ts'

/** A lane that holds the jobs it is given until `finish` (as a Worker running one batch). */
class FakeLane {
  readonly batches: number[][] = []
  held = 0
  closed = false
  constructor(readonly events: LaneEvents) {}

  add(jobs: readonly Job[]): void {
    this.batches.push(jobs.map((job) => job.id))
    this.held += jobs.length
    this.events.onBusy(true)
  }

  /** Its batch settles after keeping the Worker busy `busyMs`. */
  finish(busyMs: number): void {
    const ids = this.batches.at(-1) ?? []
    this.held = 0
    this.events.onFigures({ ...NO_FIGURES, items: ids.length, itemTime: busyMs })
    this.events.onOutcomes(ids.map((id): Outcome => ({ id, ok: true, result: String(id * id) })))
    this.events.onBusy(false)
  }

  close(): void {
    this.closed = true
  }
}

/** A clock whose time moves only when the test says; due timers then run. */
class FakeClock implements PoolClock {
  time = 0
  #timers = new Map<number, { at: number; callback: () => void }>()
  #next = 0
  now = (): number => this.time
  setTimeout = (callback: () => void, ms: number): unknown => {
    const id = this.#next++
    this.#timers.set(id, { at: this.time + ms, callback })
    return id
  }
  clearTimeout = (timer: unknown): void => {
    this.#timers.delete(timer as number)
  }
  get pending(): number {
    return this.#timers.size
  }
  advance(ms: number): void {
    this.time += ms
    for (const [id, timer] of [...this.#timers].sort((a, b) => a[1].at - b[1].at)) {
      if (timer.at > this.time) continue
      this.#timers.delete(id)
      timer.callback()
    }
  }
}

const jobs = (from: number, count: number): Job[] =>
  Array.from({ length: count }, (_, index) => ({ id: from + index, value: String(from + index) }))

/** The pool's lanes react in a microtask (a runner's loop ends first): let them. */
const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0))

function makePool(options: { workers: number; cpuLimit?: number; paused?: boolean }) {
  const lanes: FakeLane[] = []
  const outcomes: Outcome[] = []
  const busy: boolean[] = []
  const clock = new FakeClock()
  const pool = new WorkerPool(options, {
    createLane: (events) => {
      const lane = new FakeLane(events)
      lanes.push(lane)
      return lane
    },
    onOutcomes: (settled) => outcomes.push(...settled),
    onBusy: (isBusy) => busy.push(isBusy),
    clock,
  })
  return { pool, lanes, outcomes, busy, clock }
}

describe('restAfter', () => {
  it('rests t·(100/p − 1) after t ms of work: as long as the work at 50 %, three times at 25 %', () => {
    expect(restAfter(300, 50)).toBe(300)
    expect(restAfter(300, 25)).toBe(900)
    expect(restAfter(300, 75)).toBeCloseTo(100)
    expect(restAfter(300, 100)).toBe(0)
    expect(restAfter(0, 50)).toBe(0)
    expect(restAfter(Number.NaN, 50)).toBe(0)
  })
})

describe('WorkerPool', () => {
  it('starts one lane per Worker, and shares the queue: each free lane takes its part', () => {
    const { pool, lanes } = makePool({ workers: 2 })
    expect(lanes).toHaveLength(2)
    pool.add(jobs(1, 4))
    expect(lanes.map((lane) => lane.batches)).toEqual([[[1, 2]], [[3, 4]]])
    expect(pool.held).toBe(4)
  })

  it('gives a lone item to one lane and the next to the other, so that two slow items run at once', () => {
    const { pool, lanes } = makePool({ workers: 2 })
    pool.add(jobs(1, 1))
    pool.add(jobs(2, 1))
    expect(lanes.map((lane) => lane.batches)).toEqual([[[1]], [[2]]])
  })

  it('feeds a lane again once its batch is done, and passes every outcome on once', async () => {
    const { pool, lanes, outcomes, busy } = makePool({ workers: 2 })
    pool.add(jobs(1, 6))
    expect(lanes.map((lane) => lane.batches)).toEqual([[[1, 2, 3]], [[4, 5, 6]]])
    pool.add(jobs(7, 2))
    // Two queued, two lanes: the free one takes its part; the other takes the rest when done.
    lanes[0]?.finish(10)
    await settle()
    expect(lanes[0]?.batches).toEqual([[1, 2, 3], [7]])
    expect(outcomes.map((outcome) => outcome.id)).toEqual([1, 2, 3])
    expect(busy).toEqual([true])
    lanes[1]?.finish(10)
    await settle()
    expect(lanes[1]?.batches).toEqual([[4, 5, 6], [8]])
    lanes[0]?.finish(10)
    lanes[1]?.finish(10)
    await settle()
    expect(outcomes.map((outcome) => outcome.id).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8])
    expect(busy).toEqual([true, false])
    expect(pool.held).toBe(0)
  })

  it('at 50 % a lane rests as long as its batch kept the Worker busy, then takes the next', async () => {
    const { pool, lanes, clock } = makePool({ workers: 1, cpuLimit: 50 })
    const lane = lanes[0] as FakeLane
    pool.add(jobs(1, 2))
    pool.add(jobs(3, 1))
    expect(lane.batches).toEqual([[1, 2]])
    lane.finish(300)
    await settle()
    expect(lane.batches).toHaveLength(1)
    clock.advance(299)
    expect(lane.batches).toHaveLength(1)
    clock.advance(1)
    expect(lane.batches).toEqual([[1, 2], [3]])
    expect(pool.dutyCycle.share).toBeCloseTo(50)
  })

  it('keeps the duty cycle over many batches: 25 % computes a quarter of the time', async () => {
    const { pool, lanes, clock } = makePool({ workers: 1, cpuLimit: 25 })
    const lane = lanes[0] as FakeLane
    for (let batch = 0; batch < 10; batch++) {
      pool.add(jobs(batch, 1))
      lane.finish(100)
      await settle()
      clock.advance(300)
    }
    expect(lane.batches).toHaveLength(10)
    expect(pool.dutyCycle.busyMs).toBe(1_000)
    expect(pool.dutyCycle.restMs).toBe(3_000)
    expect(pool.dutyCycle.share).toBe(25)
  })

  it('applies a new CPU use from the next rest, and never rests at 100 %', async () => {
    const { pool, lanes, clock } = makePool({ workers: 1 })
    const lane = lanes[0] as FakeLane
    pool.add(jobs(1, 1))
    pool.add(jobs(2, 1))
    lane.finish(200)
    await settle()
    expect(lane.batches).toEqual([[1], [2]])
    expect(clock.pending).toBe(0)
    pool.setCpuLimit(75)
    pool.add(jobs(3, 1))
    lane.finish(300)
    await settle()
    expect(lane.batches).toHaveLength(2)
    clock.advance(100)
    expect(lane.batches).toEqual([[1], [2], [3]])
  })

  it('while paused starts no batch, lets the running ones finish, and holds its queue until resumed', async () => {
    const { pool, lanes, outcomes } = makePool({ workers: 2 })
    pool.add(jobs(1, 2))
    pool.pause()
    expect(pool.paused).toBe(true)
    pool.add(jobs(3, 4))
    lanes[0]?.finish(10)
    lanes[1]?.finish(10)
    await settle()
    expect(outcomes.map((outcome) => outcome.id)).toEqual([1, 2])
    expect(lanes.map((lane) => lane.batches.length)).toEqual([1, 1])
    expect(pool.held).toBe(4)
    pool.resume()
    expect(lanes.map((lane) => lane.batches)).toEqual([
      [[1], [3, 4]],
      [[2], [5, 6]],
    ])
  })

  it('starts paused when asked', () => {
    const { pool, lanes } = makePool({ workers: 1, paused: true })
    pool.add(jobs(1, 3))
    expect(lanes[0]?.batches).toEqual([])
    pool.resume()
    expect(lanes[0]?.batches).toEqual([[1, 2, 3]])
  })

  it('grows at once, and shrinks by ending idle lanes first and busy ones once their batch is done', async () => {
    const { pool, lanes } = makePool({ workers: 1 })
    pool.add(jobs(1, 1))
    pool.resize(3)
    expect(lanes).toHaveLength(3)
    expect(pool.workers).toBe(3)
    pool.add(jobs(2, 2))
    expect(lanes.map((lane) => lane.batches)).toEqual([[[1]], [[2]], [[3]]])
    lanes[2]?.finish(1)
    await settle()
    pool.resize(1)
    // Lane 2 was idle: it ends now; lanes 0 and 1 still run, one of them ends when done.
    expect(lanes[2]?.closed).toBe(true)
    expect(pool.workers).toBe(1)
    lanes[0]?.finish(1)
    lanes[1]?.finish(1)
    await settle()
    expect(lanes.filter((lane) => lane.closed)).toHaveLength(2)
    pool.add(jobs(4, 2))
    const open = lanes.filter((lane) => !lane.closed)
    expect(open).toHaveLength(1)
    expect(open[0]?.batches.at(-1)).toEqual([4, 5])
  })

  it('closes every lane and its rest timers, and takes nothing after', async () => {
    const { pool, lanes, clock } = makePool({ workers: 2, cpuLimit: 50 })
    pool.add(jobs(1, 2))
    lanes[0]?.finish(100)
    await settle()
    expect(clock.pending).toBe(1)
    pool.close()
    expect(lanes.every((lane) => lane.closed)).toBe(true)
    expect(clock.pending).toBe(0)
    pool.add(jobs(3, 1))
    expect(pool.held).toBe(0)
  })
})
