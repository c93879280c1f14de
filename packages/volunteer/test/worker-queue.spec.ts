import {
  RELATIVE_TIMEOUT_FLOOR_MS,
  RELATIVE_TIMEOUT_WARMUP_MS,
  type Job,
  type Outcome,
  type SerializedError,
} from '@pando/protocol'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { WorkerQueue } from '../src/worker-queue.ts'
import type { WorkerClient } from '../src/worker-client.ts'
import { scriptedWorker, type ScriptedWorkerLog } from './util.ts'

function record(): {
  outcomes: Outcome[]
  busy: boolean[]
  loadErrors: SerializedError[]
  events: ConstructorParameters<typeof WorkerQueue>[1]
} {
  const seen = { outcomes: [] as Outcome[], busy: [] as boolean[], loadErrors: [] as SerializedError[] }
  return {
    ...seen,
    events: {
      onOutcomes: (outcomes) => seen.outcomes.push(...outcomes),
      onBusy: (busy) => seen.busy.push(busy),
      onLoadError: (error) => seen.loadErrors.push(error),
    },
  }
}

const NO_DEADLINE = { bundleUrl: 'u', itemTimeoutMs: 0 }
const jobs = (...values: number[]): Job[] => values.map((value, id) => ({ id, value: String(value) }))
/** Jobs of `values` that each take `ms` (`N:MS`, see {@link scriptedWorker}). */
const slowJobs = (ms: number, ...values: number[]): Job[] =>
  values.map((value, id) => ({ id, value: `${String(value)}:${String(ms)}` }))
const settle = (ms = 20): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

describe('WorkerQueue', () => {
  describe('#add', () => {
    it('feeds jobs that arrived while the module loaded as one batch', async () => {
      const worker = scriptedWorker({ progress: false })
      const seen = record()
      let loaded!: (worker: WorkerClient) => void
      const queue = new WorkerQueue(NO_DEADLINE, seen.events, {
        startWorker: () => new Promise((resolve) => (loaded = resolve)),
      })
      queue.start()
      queue.add(jobs(1, 2))
      queue.add([{ id: 5, value: '3' }])
      loaded(worker)
      await settle()
      expect(worker.batches).toHaveLength(1)
      expect(seen.outcomes.map((outcome) => outcome.id)).toEqual([0, 1, 5])
      expect(seen.busy).toEqual([true, false])
    })

    it('queues jobs that arrive while a batch runs into the next batch', async () => {
      const worker = scriptedWorker({ progress: false })
      const seen = record()
      const queue = new WorkerQueue(NO_DEADLINE, seen.events, { startWorker: async () => worker })
      queue.start()
      queue.add(slowJobs(30, 1))
      await settle(5)
      queue.add([{ id: 1, value: '2:30' }])
      queue.add([{ id: 2, value: '3:30' }])
      await settle(100)
      expect(worker.batches).toEqual([[0], [1, 2]])
    })
  })

  describe('#held', () => {
    it('counts queued jobs and those of the running batch, and hands over figures before outcomes', async () => {
      const worker = scriptedWorker({ progress: false })
      const seen = record()
      const order: string[] = []
      const queue = new WorkerQueue(
        NO_DEADLINE,
        {
          ...seen.events,
          onFigures: (figures) => order.push(`figures ${String(figures.items)}`),
          onOutcomes: (outcomes) => order.push(`outcomes ${String(outcomes.length)}`),
        },
        { startWorker: async () => worker },
      )
      queue.start()
      queue.add(slowJobs(30, 1, 2))
      await settle(5)
      queue.add(slowJobs(30, 3))
      expect(queue.held).toBe(3)
      await settle(100)
      expect(queue.held).toBe(0)
      expect(order).toEqual(['figures 2', 'outcomes 2', 'figures 1', 'outcomes 1'])
    })
  })

  describe('own time per item', () => {
    it("hands over the Worker's own time per item with a batch's last outcomes", async () => {
      const worker = scriptedWorker({ progress: false })
      const calls: [number, number | undefined][] = []
      const queue = new WorkerQueue(
        NO_DEADLINE,
        { ...record().events, onOutcomes: (outcomes, msPerItem) => calls.push([outcomes.length, msPerItem]) },
        { startWorker: async () => worker },
      )
      queue.start()
      queue.add(slowJobs(5, 1, 2, 3))
      await settle(50)
      expect(calls).toEqual([[3, 5]])
    })
  })

  describe('#close', () => {
    it('drops queued jobs, sends nothing more and terminates the Worker', async () => {
      const worker = scriptedWorker({ progress: false })
      const seen = record()
      const queue = new WorkerQueue(NO_DEADLINE, seen.events, { startWorker: async () => worker })
      queue.start()
      queue.add(slowJobs(30, 1, 2))
      await settle(5)
      queue.close()
      queue.add(jobs(3))
      await settle(60)
      expect(seen.outcomes).toEqual([])
      expect(worker.terminated).toBe(true)
    })
  })

  describe('when the module cannot be loaded', () => {
    it('reports the error at once and answers every job with it', async () => {
      const seen = record()
      const error = Object.assign(new Error('no function'), { name: 'ModuleContractError' })
      const queue = new WorkerQueue(NO_DEADLINE, seen.events, {
        startWorker: () => Promise.reject(error),
      })
      queue.start()
      await settle()
      expect(seen.loadErrors).toMatchObject([{ name: 'ModuleContractError', message: 'no function' }])
      queue.add(jobs(1, 2))
      await settle()
      expect(seen.outcomes).toMatchObject([
        { id: 0, ok: false, error: { name: 'ModuleContractError' } },
        { id: 1, ok: false, error: { name: 'ModuleContractError' } },
      ])
    })
  })

  describe('when the Worker has failed', () => {
    it('replaces it before the next batch', async () => {
      const broken = Object.assign(scriptedWorker({ progress: false }), { failed: true })
      const fresh = scriptedWorker({ progress: false })
      const workers = [broken, fresh]
      const seen = record()
      const queue = new WorkerQueue(NO_DEADLINE, seen.events, {
        startWorker: async () => workers.shift()!,
      })
      queue.start()
      queue.add(jobs(4))
      await settle()
      expect(broken.batches).toEqual([])
      expect(fresh.batches).toHaveLength(1)
      expect(seen.outcomes).toEqual([{ id: 0, ok: true, result: '16' }])
    })
  })

  describe('the item deadline', () => {
    const DEADLINE = 1_000
    /** What the queue waits for a stuck Worker to answer its ping (STUCK_WORKER_PING_MS), and a little. */
    const PING = 300

    beforeEach(() => {
      vi.useFakeTimers()
    })
    afterEach(() => {
      vi.useRealTimers()
    })

    /** A queue with the deadline, on scripted Workers; `workers` lists those it started. */
    function deadlineQueue(
      itemTimeoutMs = DEADLINE,
      itemTimeoutPercent?: number,
    ): {
      queue: WorkerQueue
      seen: ReturnType<typeof record>
      workers: ScriptedWorkerLog[]
      byId: () => Map<number, Outcome>
    } {
      const seen = record()
      const workers: ScriptedWorkerLog[] = []
      const queue = new WorkerQueue({ bundleUrl: 'u', itemTimeoutMs, itemTimeoutPercent }, seen.events, {
        startWorker: async () => {
          const worker = scriptedWorker()
          workers.push(worker)
          return worker
        },
      })
      queue.start()
      return { queue, seen, workers, byId: () => new Map(seen.outcomes.map((o) => [o.id, o])) }
    }
    const values = (...list: string[]): Job[] => list.map((value, id) => ({ id, value }))

    it('fails an item the Worker is stuck on with an ItemTimeoutError naming the deadline, and replaces the Worker', async () => {
      const { queue, seen, workers } = deadlineQueue()
      queue.add(values('loop'))
      await vi.advanceTimersByTimeAsync(DEADLINE - 10)
      expect(seen.outcomes).toEqual([])
      expect(queue.held).toBe(1)
      await vi.advanceTimersByTimeAsync(10 + PING)
      expect(seen.outcomes).toEqual([
        {
          id: 0,
          ok: false,
          error: {
            name: 'ItemTimeoutError',
            message:
              'no result within the item deadline of 1000 ms (--item-timeout): the Worker was stopped and replaced',
          },
        },
      ])
      expect(workers.map((worker) => worker.terminated)).toEqual([true])
      queue.add([{ id: 1, value: '6:10' }])
      await vi.advanceTimersByTimeAsync(50)
      expect(seen.outcomes.at(-1)).toEqual({ id: 1, ok: true, result: '36' })
      expect(workers).toHaveLength(2)
      expect(workers[1]?.batches).toEqual([[1]])
      expect(seen.busy.at(-1)).toBe(false)
    })

    it('does not take a long batch of items that keep finishing for a stuck Worker', async () => {
      const { queue, seen, workers } = deadlineQueue()
      // Five items, 800 ms apart: the batch takes 4 s, four deadlines, but never 1 s without progress.
      queue.add(values('1:800', '2:1600', '3:2400', '4:3200', '5:4000'))
      await vi.advanceTimersByTimeAsync(4_100)
      expect(seen.outcomes.map((outcome) => outcome.ok && outcome.result)).toEqual([
        '1',
        '4',
        '9',
        '16',
        '25',
      ])
      expect(workers).toHaveLength(1)
      expect(workers[0]?.terminated).toBe(false)
    })

    it('runs the pending items of a stuck batch again one at a time, so that only the stuck one fails', async () => {
      const { queue, seen, workers, byId } = deadlineQueue()
      queue.add(values('2:10', 'loop', '3:10'))
      await vi.advanceTimersByTimeAsync(DEADLINE + PING)
      // Nothing could get out of the stuck Worker: all three run again, alone; the first is done already.
      expect(seen.outcomes).toEqual([{ id: 0, ok: true, result: '4' }])
      expect(queue.held).toBe(2)
      await vi.advanceTimersByTimeAsync(DEADLINE + PING)
      expect(byId()).toEqual(
        new Map([
          [0, { id: 0, ok: true, result: '4' }],
          [
            1,
            expect.objectContaining({
              ok: false,
              error: expect.objectContaining({ name: 'ItemTimeoutError' }),
            }),
          ],
          [2, { id: 2, ok: true, result: '9' }],
        ]),
      )
      expect(workers.map((worker) => worker.batches)).toEqual([[[0, 1, 2]], [[0], [1]], [[2]]])
      expect(queue.held).toBe(0)
    })

    it('fails at once the items of a Worker that waits past the deadline, and keeps the outcomes it gave', async () => {
      const { queue, seen, workers, byId } = deadlineQueue()
      queue.add(values('wait', '5:10', 'wait'))
      await vi.advanceTimersByTimeAsync(10 + DEADLINE + 10)
      // One batch: the outcome it gave, then the two failures.
      expect(seen.outcomes).toHaveLength(3)
      expect(byId().get(1)).toEqual({ id: 1, ok: true, result: '25' })
      expect(byId().get(0)).toMatchObject({ ok: false, error: { name: 'ItemTimeoutError' } })
      expect(byId().get(2)).toMatchObject({ ok: false, error: { name: 'ItemTimeoutError' } })
      expect(workers.map((worker) => worker.terminated)).toEqual([true])
    })

    it('passes outcomes on as the Worker reports them during a batch, each once, with or without a deadline', async () => {
      for (const itemTimeoutMs of [DEADLINE, 0]) {
        const { queue, seen } = deadlineQueue(itemTimeoutMs)
        const calls: number[][] = []
        const onOutcomes = seen.events.onOutcomes
        seen.events.onOutcomes = (outcomes) => {
          // The batch's end brings its own time per item, with no outcome left: not counted here.
          if (outcomes.length > 0) calls.push(outcomes.map((outcome) => outcome.id))
          onOutcomes(outcomes)
        }
        queue.add(values('1:10', '2:300', '3:600'))
        await vi.advanceTimersByTimeAsync(20)
        expect(calls).toEqual([[0]])
        expect(queue.held).toBe(3) // the batch still runs
        await vi.advanceTimersByTimeAsync(600)
        expect(calls).toEqual([[0], [1], [2]])
        expect(seen.outcomes.map((outcome) => outcome.id)).toEqual([0, 1, 2])
      }
    })

    describe('relative (--item-timeout 300%)', () => {
      const timedOut = expect.objectContaining({
        ok: false,
        error: expect.objectContaining({ name: 'ItemTimeoutError' }),
      })

      it('waits the warm-up minute until 3 items are timed, then 3 medians, 1 s at least', async () => {
        const { queue, seen, byId } = deadlineQueue(0, 300)
        // Only 2 items timed: a Worker waiting 59 s on the third is not given up.
        queue.add(values('1:500', '2:500'))
        await vi.advanceTimersByTimeAsync(600)
        queue.add([{ id: 2, value: 'wait' }])
        await vi.advanceTimersByTimeAsync(RELATIVE_TIMEOUT_WARMUP_MS - 1_000)
        expect(seen.outcomes).toHaveLength(2)
        await vi.advanceTimersByTimeAsync(1_000 + PING)
        expect(byId().get(2)).toEqual({
          id: 2,
          ok: false,
          error: {
            name: 'ItemTimeoutError',
            message:
              'no result within the item deadline of 60000 ms (--item-timeout): the Worker was stopped and replaced',
          },
        })
        // 3 items timed at 500 ms: the deadline is 1.5 s.
        queue.add([{ id: 3, value: '3:500' }])
        await vi.advanceTimersByTimeAsync(600)
        queue.add([{ id: 4, value: 'wait' }])
        await vi.advanceTimersByTimeAsync(1_400)
        expect(byId().has(4)).toBe(false)
        await vi.advanceTimersByTimeAsync(100 + PING)
        expect(byId().get(4)).toMatchObject({
          error: { message: expect.stringContaining('item deadline of 1500 ms') },
        })
      })

      it('follows the median of the items the Worker timed, batch after batch, never under the floor', async () => {
        const { queue, seen, byId } = deadlineQueue(0, 200)
        queue.add(values('1:10', '2:10', '3:10'))
        await vi.advanceTimersByTimeAsync(20)
        expect(seen.outcomes).toHaveLength(3)
        // A median of 10 ms: 20 ms by the rule, the floor of 1 s applies.
        queue.add([{ id: 3, value: 'wait' }])
        await vi.advanceTimersByTimeAsync(RELATIVE_TIMEOUT_FLOOR_MS + PING)
        expect(byId().get(3)).toEqual(timedOut)
        // Slower items now, within the deadline: the median moves to 900 ms, the deadline to 1.8 s.
        queue.add(values('a', 'b', 'c', 'd', 'e', '1:900', '2:900', '3:900', '4:900', '5:900').slice(5))
        await vi.advanceTimersByTimeAsync(1_000)
        expect(seen.outcomes.slice(4).map((outcome) => outcome.ok)).toEqual([true, true, true, true, true])
        queue.add([{ id: 10, value: 'wait' }])
        await vi.advanceTimersByTimeAsync(1_700)
        expect(byId().get(10)).toBe(undefined)
        await vi.advanceTimersByTimeAsync(100 + PING)
        expect(byId().get(10)).toMatchObject({
          error: { message: expect.stringContaining('item deadline of 1800 ms') },
        })
      })
    })

    it('has no deadline with itemTimeoutMs 0', async () => {
      const { queue, seen, workers } = deadlineQueue(0)
      queue.add(values('wait'))
      await vi.advanceTimersByTimeAsync(600_000)
      expect(seen.outcomes).toEqual([])
      expect(workers[0]?.terminated).toBe(false)
      expect(queue.held).toBe(1)
    })
  })
})
