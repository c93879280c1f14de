import type { Job, Outcome } from '@pando/protocol'
import pull from 'pull-stream'
import { describe, expect, it } from 'vitest'
import { localWorker, processJob } from '../src/local-worker.ts'

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
})
