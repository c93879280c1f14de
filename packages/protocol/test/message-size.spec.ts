import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { jobJsonLength, jsonStringLength, outcomeJsonLength, packByLength } from '../src/index.ts'

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
  it('are never under the length of the JSON', () => {
    fc.assert(
      fc.property(fc.nat({ max: Number.MAX_SAFE_INTEGER }), fc.string({ unit: 'binary' }), (id, text) => {
        expect(jobJsonLength({ id, value: text })).toBeGreaterThanOrEqual(
          JSON.stringify({ id, value: text }).length,
        )
        const ok = { id, ok: true as const, result: text }
        expect(outcomeJsonLength(ok)).toBeGreaterThanOrEqual(JSON.stringify(ok).length)
        const failed = { id, ok: false as const, error: { name: 'Error', message: text } }
        expect(outcomeJsonLength(failed)).toBe(JSON.stringify(failed).length)
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
