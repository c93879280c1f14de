import type { Job, Outcome } from '@pando/protocol'
import pull from 'pull-stream'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { LocalDeadline, localWorker, processJob } from '../src/local-worker.ts'

/** The error of an item that missed a deadline of `ms` in this process. */
const timedOut = (ms: number): { name: string; message: string } => ({
  name: 'ItemTimeoutError',
  message: `no result within the item deadline of ${ms} ms (--item-timeout): the item was given up on (a late result is ignored)`,
})

/** A function that never settles on `hang` and doubles any other item. */
const hangsOn =
  (hang: string) =>
  (x: string): Promise<number> =>
    x === hang ? new Promise<number>(() => undefined) : Promise.resolve(Number(x) * 2)

/** Runs the batches through a local worker; resolves with every batch of outcomes once its output ends. */
function run(batches: Job[][], through: ReturnType<typeof localWorker>): Promise<Outcome[][]> {
  return new Promise<Outcome[][]>((resolve, reject) =>
    pull(
      pull.values(batches),
      through,
      pull.collect((error, values) => (error ? reject(error) : resolve(values))),
    ),
  )
}

describe('processJob', () => {
  it('formats a result as its output line', async () => {
    expect(await processJob(async (x) => Number(x) * 2, { id: 4, value: '21' })).toEqual({
      id: 4,
      ok: true,
      result: '42',
    })
    expect(await processJob(async (x) => ({ x }), { id: 0, value: 'a' })).toEqual({
      id: 0,
      ok: true,
      result: '{"x":"a"}',
    })
  })

  it('turns an error of the function into a failed outcome', async () => {
    const outcome = await processJob(
      async () => {
        throw new RangeError('too big')
      },
      { id: 1, value: 'x' },
    )
    expect(outcome).toMatchObject({ id: 1, ok: false, error: { name: 'RangeError', message: 'too big' } })
  })
})

describe('processJob with a deadline', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] })
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  it('fails a job whose promise has not settled by the deadline with an ItemTimeoutError', async () => {
    let outcome: Outcome | undefined
    void processJob(hangsOn('x'), { id: 3, value: 'x' }, new LocalDeadline(300)).then((o) => (outcome = o))
    await vi.advanceTimersByTimeAsync(299)
    expect(outcome).toBeUndefined()
    await vi.advanceTimersByTimeAsync(1)
    expect(outcome).toEqual({ id: 3, ok: false, error: timedOut(300) })
    expect(vi.getTimerCount()).toBe(0)
  })

  it('ignores a result, or an error, that comes after the deadline', async () => {
    let settle: (error?: Error) => void = () => undefined
    const late = (): Promise<string> =>
      new Promise((resolve, reject) => (settle = (error) => (error ? reject(error) : resolve('late'))))
    const deadline = new LocalDeadline(100)
    const first = processJob(late, { id: 0, value: 'a' }, deadline)
    await vi.advanceTimersByTimeAsync(100)
    settle()
    expect(await first).toEqual({ id: 0, ok: false, error: timedOut(100) })
    const second = processJob(late, { id: 1, value: 'b' }, deadline)
    await vi.advanceTimersByTimeAsync(100)
    settle(new Error('too late to matter'))
    expect(await second).toEqual({ id: 1, ok: false, error: timedOut(100) })
  })

  it('lets its one timer lapse once the jobs settled in time, with a result or an error', async () => {
    const deadline = new LocalDeadline(60_000)
    expect(await processJob(hangsOn('x'), { id: 0, value: '4' }, deadline)).toEqual({
      id: 0,
      ok: true,
      result: '8',
    })
    const fails = (): Promise<never> => Promise.reject(new RangeError('too big'))
    expect(await processJob(fails, { id: 1, value: '1' }, deadline)).toMatchObject({
      ok: false,
      error: { name: 'RangeError', message: 'too big' },
    })
    const throws = (): Promise<never> => {
      throw new TypeError('thrown before any promise')
    }
    expect(await processJob(throws, { id: 2, value: '1' }, deadline)).toMatchObject({
      ok: false,
      error: { name: 'TypeError' },
    })
    // One timer watches every job, and is not set again when it finds none running.
    expect(vi.getTimerCount()).toBe(1)
    await vi.advanceTimersByTimeAsync(60_000)
    expect(vi.getTimerCount()).toBe(0)
  })

  it('gives up a job at its own deadline when the timer was set by an earlier one', async () => {
    const deadline = new LocalDeadline(300)
    await processJob(async (value) => value, { id: 0, value: 'quick' }, deadline)
    await vi.advanceTimersByTimeAsync(200)
    let outcome: Outcome | undefined
    void processJob(hangsOn('x'), { id: 1, value: 'x' }, deadline).then((o) => (outcome = o))
    await vi.advanceTimersByTimeAsync(299)
    expect(outcome).toBeUndefined()
    await vi.advanceTimersByTimeAsync(1)
    expect(outcome).toEqual({ id: 1, ok: false, error: timedOut(300) })
  })

  it('sets no timer with a deadline of 0', async () => {
    let outcome: Outcome | undefined
    void processJob(hangsOn('x'), { id: 0, value: 'x' }, new LocalDeadline(0)).then((o) => (outcome = o))
    expect(vi.getTimerCount()).toBe(0)
    await vi.advanceTimersByTimeAsync(3_600_000)
    expect(outcome).toBeUndefined()
  })
})

describe('LocalDeadline', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] })
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  describe('#stop', () => {
    it('clears the timer of the job running, which then waits for its work, and of any job after', async () => {
      const deadline = new LocalDeadline(100)
      let outcome: Outcome | undefined
      void processJob(hangsOn('x'), { id: 0, value: 'x' }, deadline).then((o) => (outcome = o))
      expect(vi.getTimerCount()).toBe(1)
      deadline.stop()
      deadline.stop()
      expect(vi.getTimerCount()).toBe(0)
      void processJob(hangsOn('x'), { id: 1, value: 'x' }, deadline)
      expect(vi.getTimerCount()).toBe(0)
      await vi.advanceTimersByTimeAsync(1_000)
      expect(outcome).toBeUndefined()
    })
  })
})

describe('localWorker', () => {
  it('answers each batch of jobs with a batch of outcomes, in order', async () => {
    const batches: Job[][] = [
      [{ id: 0, value: '1' }],
      [
        { id: 1, value: 'x' },
        { id: 2, value: '3' },
      ],
    ]
    const outcomes = await new Promise<Outcome[][]>((resolve, reject) =>
      pull(
        pull.values(batches),
        localWorker(async (x) => {
          if (x === 'x') throw new Error('not a number')
          return Number(x) + 1
        }),
        pull.collect((error, values) => (error ? reject(error) : resolve(values))),
      ),
    )
    expect(outcomes).toEqual([
      [{ id: 0, ok: true, result: '2' }],
      [
        { id: 1, ok: false, error: expect.objectContaining({ message: 'not a number' }) as unknown },
        { id: 2, ok: true, result: '4' },
      ],
    ])
  })

  describe('with itemTimeout', () => {
    beforeEach(() => {
      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] })
    })
    afterEach(() => {
      vi.useRealTimers()
    })

    it('fails an item that hangs past it and goes on with the next ones', async () => {
      const batches: Job[][] = [
        [
          { id: 0, value: '1' },
          { id: 1, value: 'x' },
        ],
        [{ id: 2, value: '3' }],
      ]
      let outcomes: Outcome[][] | undefined
      void run(batches, localWorker(hangsOn('x'), { itemTimeout: 500 })).then((o) => (outcomes = o))
      await vi.advanceTimersByTimeAsync(499)
      expect(outcomes).toBeUndefined()
      await vi.advanceTimersByTimeAsync(1)
      await expect
        .poll(() => outcomes)
        .toEqual([
          [
            { id: 0, ok: true, result: '2' },
            { id: 1, ok: false, error: timedOut(500) },
          ],
          [{ id: 2, ok: true, result: '6' }],
        ])
      await vi.advanceTimersByTimeAsync(500)
      expect(vi.getTimerCount()).toBe(0)
    })

    it('clears the deadline of the item running when its signal aborts: the run has ended', async () => {
      const ended = new AbortController()
      const worker = localWorker(hangsOn('x'), { itemTimeout: 500, signal: ended.signal })
      void run([[{ id: 0, value: 'x' }]], worker)
      await expect.poll(() => vi.getTimerCount()).toBe(1)
      ended.abort()
      expect(vi.getTimerCount()).toBe(0)
    })
  })
})
