import type { Job } from '@pando/protocol'
import type { Settled } from '@pando/scheduler'
import pull from 'pull-stream'
import { describe, expect, it } from 'vitest'
import { recallOutcomes, recordOutcomes, type OutcomeOrigin } from '../src/journal/recall.ts'
import { RECALLED_WINDOW } from '../src/constants.ts'

const jobsOf = (count: number): Job[] => Array.from({ length: count }, (_, id) => ({ id, value: `v${id}` }))

/** Computes the fresh jobs as a lender would (in order, asynchronously), and merges the recalled back. */
function runRecall(count: number, isKnown: (id: number) => boolean): Promise<[Settled, OutcomeOrigin][]> {
  const seen: [Settled, OutcomeOrigin][] = []
  const { fresh, merge } = recallOutcomes(
    pull.values(jobsOf(count)),
    (job) =>
      isKnown(job.id)
        ? {
            origin: 'journal',
            settled: { id: job.id, value: job.value, ok: true, result: `known ${job.id}` },
          }
        : undefined,
    (settled, origin) => seen.push([settled, origin]),
  )
  const computed = pull(
    fresh,
    pull.asyncMap((job: Job, cb: (end: null, settled: Settled) => void) =>
      setImmediate(() => cb(null, { id: job.id, value: job.value, ok: true, result: `computed ${job.id}` })),
    ),
  )
  return new Promise((resolve, reject) =>
    pull(
      merge(computed),
      pull.collect((error) => (error ? reject(error) : resolve(seen))),
    ),
  )
}

describe('recallOutcomes', () => {
  it('puts the recalled outcomes back among the computed ones, in input order', async () => {
    const known = new Set([0, 1, 4, 7, 8, 9])
    const seen = await runRecall(10, (id) => known.has(id))
    expect(seen.map(([settled]) => settled.id)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
    expect(seen.map(([settled, origin]) => `${origin} ${settled.ok ? settled.result : ''}`)).toEqual(
      [0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((id) =>
        known.has(id) ? `journal known ${id}` : `computed computed ${id}`,
      ),
    )
  })

  it('reads a long run of recalled items without growing the stack, past its window', async () => {
    const count = RECALLED_WINDOW * 3
    const seen = await runRecall(count, (id) => id !== count - 1)
    expect(seen).toHaveLength(count)
    expect(seen.at(-1)?.[1]).toBe('computed')
    expect(seen.every(([settled], index) => settled.id === index)).toBe(true)
  })

  it('ends the items with the error recall gives (an input that differs)', async () => {
    const { fresh } = recallOutcomes(
      pull.values(jobsOf(3)),
      (job) => (job.id === 1 ? new Error('differs') : undefined),
      () => undefined,
    )
    const error = await new Promise((resolve) => pull(fresh, pull.collect(resolve)))
    expect(error).toEqual(new Error('differs'))
  })
})

describe('recordOutcomes', () => {
  it('lends every job and sees each result as it passes, in order, as computed', async () => {
    const seen: [number, OutcomeOrigin][] = []
    const { fresh, merge } = recordOutcomes(pull.values(jobsOf(5)), (settled, origin) =>
      seen.push([settled.id, origin]),
    )
    const computed = pull(
      fresh,
      pull.asyncMap((job: Job, cb: (end: null, settled: Settled) => void) =>
        setImmediate(() => cb(null, { id: job.id, value: job.value, ok: true, result: `r${job.id}` })),
      ),
    )
    const results = await new Promise<Settled[]>((resolve, reject) =>
      pull(
        merge(computed),
        pull.collect((error, all) => (error ? reject(error) : resolve(all))),
      ),
    )
    expect(results.map((settled) => (settled.ok ? settled.result : ''))).toEqual([
      'r0',
      'r1',
      'r2',
      'r3',
      'r4',
    ])
    expect(seen).toEqual([0, 1, 2, 3, 4].map((id) => [id, 'computed']))
  })
})
