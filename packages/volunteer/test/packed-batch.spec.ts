import type { Outcome } from '@pando/protocol'
import { describe, expect, it } from 'vitest'
import { OutcomePacker, packJobs, unpackJobs, unpackOutcomes } from '../src/packed-batch.ts'

describe('packed batches between the page and its Worker', () => {
  it('carries jobs whole, whatever their values', () => {
    const jobs = [
      { id: 0, value: '' },
      { id: 7, value: 'a "quoted" \\ value' },
      { id: 2 ** 40, value: 'é😀\u0001' },
    ]
    expect(unpackJobs(structuredClone(packJobs(jobs)))).toEqual(jobs)
  })

  it('carries outcomes whole, successes and failures', () => {
    const outcomes: Outcome[] = [
      { id: 3, ok: true, result: '9' },
      { id: 4, ok: false, error: { name: 'TypeError', message: 'bad' } },
      { id: 5, ok: true, result: '{"a":[1,2]}' },
    ]
    const packer = new OutcomePacker()
    for (const outcome of outcomes) packer.add(outcome)
    expect(packer.size).toBe(3)
    const unpacked = unpackOutcomes(structuredClone(packer.take()))
    expect(unpacked).toHaveLength(3)
    expect(unpacked).toEqual(expect.arrayContaining(outcomes))
    expect(packer.size).toBe(0)
  })

  it('makes nothing of what a module could post in the shape of a progress message', () => {
    for (const posted of [null, 42, {}, { ids: [1], results: '["x"]', failures: [] }]) {
      expect(unpackOutcomes(posted)).toEqual([])
    }
    expect(unpackOutcomes({ ids: new Float64Array([1, 2]), results: '["x"]', failures: [] })).toEqual([])
    expect(unpackOutcomes({ ids: new Float64Array([1]), results: 'not json', failures: [] })).toEqual([])
    expect(() => unpackJobs({ ids: new Float64Array([1]), values: '[]' })).toThrow(TypeError)
  })
})
