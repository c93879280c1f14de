import type { Job, Outcome, SerializedError } from '@pando/protocol'
import { describe, expect, it } from 'vitest'
import { VolunteerSession } from '../src/volunteer-session.ts'
import type { BatchResult } from '../src/worker-api.ts'
import type { WorkerClient } from '../src/worker-client.ts'

/** A stand-in for WorkerClient: squares numbers, after `delay` ms; records the batches it gets. */
function fakeWorker(options: { delay?: number; failed?: boolean } = {}): WorkerClient & { batches: Job[][] } {
  const batches: Job[][] = []
  const fake = {
    batches,
    failed: options.failed ?? false,
    terminated: false,
    async process(jobs: readonly Job[]): Promise<BatchResult> {
      batches.push([...jobs])
      await new Promise((resolve) => setTimeout(resolve, options.delay ?? 0))
      return {
        outcomes: jobs.map((job) => ({ id: job.id, ok: true, result: String(Number(job.value) ** 2) })),
        figures: { items: jobs.length, itemTime: 5 * jobs.length, reported: undefined },
      }
    },
    terminate(): void {
      fake.terminated = true
    },
  }
  return fake as unknown as WorkerClient & { batches: Job[][] }
}

function record(): {
  outcomes: Outcome[]
  busy: boolean[]
  loadErrors: SerializedError[]
  events: ConstructorParameters<typeof VolunteerSession>[1]
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

const jobs = (...values: number[]): Job[] => values.map((value, id) => ({ id, value: String(value) }))
const settle = (ms = 20): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

describe('VolunteerSession', () => {
  describe('#add', () => {
    it('feeds jobs that arrived while the module loaded as one batch', async () => {
      const worker = fakeWorker()
      const seen = record()
      let loaded!: (worker: WorkerClient) => void
      const session = new VolunteerSession('u', seen.events, {
        startWorker: () => new Promise((resolve) => (loaded = resolve)),
      })
      session.start()
      session.add(jobs(1, 2))
      session.add([{ id: 5, value: '3' }])
      loaded(worker)
      await settle()
      expect(worker.batches).toHaveLength(1)
      expect(seen.outcomes.map((outcome) => outcome.id)).toEqual([0, 1, 5])
      expect(seen.busy).toEqual([true, false])
    })

    it('queues jobs that arrive while a batch runs into the next batch', async () => {
      const worker = fakeWorker({ delay: 30 })
      const seen = record()
      const session = new VolunteerSession('u', seen.events, { startWorker: async () => worker })
      session.start()
      session.add(jobs(1))
      await settle(5)
      session.add([{ id: 1, value: '2' }])
      session.add([{ id: 2, value: '3' }])
      await settle(100)
      expect(worker.batches.map((batch) => batch.map((job) => job.id))).toEqual([[0], [1, 2]])
    })
  })

  describe('#held', () => {
    it('counts queued jobs and those of the running batch, and hands over figures before outcomes', async () => {
      const worker = fakeWorker({ delay: 30 })
      const seen = record()
      const order: string[] = []
      const session = new VolunteerSession(
        'u',
        {
          ...seen.events,
          onFigures: (figures) => order.push(`figures ${String(figures.items)}`),
          onOutcomes: (outcomes) => order.push(`outcomes ${String(outcomes.length)}`),
        },
        { startWorker: async () => worker },
      )
      session.start()
      session.add(jobs(1, 2))
      await settle(5)
      session.add(jobs(3))
      expect(session.held).toBe(3)
      await settle(100)
      expect(session.held).toBe(0)
      expect(order).toEqual(['figures 2', 'outcomes 2', 'figures 1', 'outcomes 1'])
    })
  })

  describe('#close', () => {
    it('drops queued jobs, sends nothing more and terminates the Worker', async () => {
      const worker = fakeWorker({ delay: 30 })
      const seen = record()
      const session = new VolunteerSession('u', seen.events, { startWorker: async () => worker })
      session.start()
      session.add(jobs(1, 2))
      await settle(5)
      session.close()
      session.add(jobs(3))
      await settle(60)
      expect(seen.outcomes).toEqual([])
      expect((worker as unknown as { terminated: boolean }).terminated).toBe(true)
    })
  })

  describe('when the module cannot be loaded', () => {
    it('reports the error at once and answers every job with it', async () => {
      const seen = record()
      const error = Object.assign(new Error('no function'), { name: 'ModuleContractError' })
      const session = new VolunteerSession('u', seen.events, { startWorker: () => Promise.reject(error) })
      session.start()
      await settle()
      expect(seen.loadErrors).toMatchObject([{ name: 'ModuleContractError', message: 'no function' }])
      session.add(jobs(1, 2))
      await settle()
      expect(seen.outcomes).toMatchObject([
        { id: 0, ok: false, error: { name: 'ModuleContractError' } },
        { id: 1, ok: false, error: { name: 'ModuleContractError' } },
      ])
    })
  })

  describe('when the Worker has failed', () => {
    it('replaces it before the next batch', async () => {
      const broken = fakeWorker({ failed: true })
      const fresh = fakeWorker()
      const workers = [broken, fresh]
      const seen = record()
      const session = new VolunteerSession('u', seen.events, { startWorker: async () => workers.shift()! })
      session.start()
      session.add(jobs(4))
      await settle()
      expect(broken.batches).toEqual([])
      expect(fresh.batches).toHaveLength(1)
      expect(seen.outcomes).toEqual([{ id: 0, ok: true, result: '16' }])
    })
  })
})
