import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { Outcome } from '../src/index.ts'
import { jobJsonLength, jsonStringLength, outcomeJsonLength, packByLength, toWire } from '../src/index.ts'

describe('jsonStringLength', () => {
  it('is the length JSON.stringify gives, whatever the string', () => {
    for (const text of [
      '',
      'plain',
      'a "quote"',
      'back\\slash',
      'tab\there',
      '\u0000\u001f',
      'é€😀',
      '\ud800',
    ]) {
      expect(jsonStringLength(text)).toBe(JSON.stringify(text).length)
    }
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        expect(jsonStringLength(text)).toBe(JSON.stringify(text).length)
      }),
    )
  })
})

describe('jobJsonLength and outcomeJsonLength', () => {
  it('bound what jobs and outcomes take in their messages on the wire', () => {
    const ENVELOPE = 64
    const item = fc.record({
      id: fc.nat({ max: Number.MAX_SAFE_INTEGER }),
      text: fc.string({ unit: 'binary' }),
    })
    fc.assert(
      fc.property(fc.array(item), fc.boolean(), (items, failing) => {
        const jobs = items.map(({ id, text }) => ({ id, value: text }))
        const jobsLength = JSON.stringify(toWire({ type: 'jobs', jobs })).length
        expect(jobsLength).toBeLessThanOrEqual(
          ENVELOPE + jobs.reduce((sum, job) => sum + jobJsonLength(job) + 1, 0),
        )
        const outcomes: Outcome[] = items.map(({ id, text }) =>
          failing
            ? { id, ok: false, error: { name: 'Error', message: text } }
            : { id, ok: true, result: text },
        )
        const outcomesLength = JSON.stringify(toWire({ type: 'outcomes', outcomes })).length
        expect(outcomesLength).toBeLessThanOrEqual(
          ENVELOPE + outcomes.reduce((sum, outcome) => sum + outcomeJsonLength(outcome) + 1, 0),
        )
      }),
    )
  })
})

describe('packByLength', () => {
  it('cuts by length and by count, keeping the order, and gives an overlong item a group of its own', () => {
    const length = (text: string): number => text.length
    expect(packByLength(['aaa', 'bb', 'c', 'dddd'], 7, length)).toEqual([
      ['aaa', 'bb'],
      ['c', 'dddd'],
    ])
    expect(packByLength(['a', 'b', 'c'], 100, length, 2)).toEqual([['a', 'b'], ['c']])
    expect(packByLength(['a', 'x'.repeat(50), 'b'], 10, length)).toEqual([['a'], ['x'.repeat(50)], ['b']])
    expect(packByLength([], 10, length)).toEqual([])
  })
})
