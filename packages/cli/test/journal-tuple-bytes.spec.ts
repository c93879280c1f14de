import { describe, expect, it } from 'vitest'
import { itemTupleJson } from '../src/journal/journal-records.ts'
import { resultTupleBound, writeResultTuple } from '../src/journal/tuple-bytes.ts'

const RESULTS = [
  '',
  '0',
  '999998000001',
  '{"a":[1,2]}',
  'back\\slash',
  'tab\there',
  'cr\rlf\n',
  '\u0000\u001f\u007f',
  'é 😀 中文',
  'lone \ud800 surrogate \udfff',
  '~'.repeat(5000),
  '"'.repeat(100),
]
const NUMBERS = [
  0,
  1,
  9,
  10,
  99,
  100,
  99_999_999,
  1e8,
  100_000_007,
  123_456_789,
  2 ** 32,
  1e15 + 7,
  2 ** 53 - 1,
]
const BYS = ['local', 'cache', '', 'v"1\\é']

function written(n: number, h: number, r: string, by: string): string {
  const byJson = Buffer.from(JSON.stringify(by))
  const bound = resultTupleBound(r.length, byJson.length)
  // Poisoned room around it: a write past the bound, or before the offset, shows.
  const target = Buffer.alloc(bound + 20, 0xff)
  const end = writeResultTuple(target, 10, n, h, r, byJson)
  expect(end).toBeLessThanOrEqual(10 + bound)
  expect(target.subarray(0, 10).every((byte) => byte === 0xff)).toBe(true)
  expect(target.subarray(end).every((byte) => byte === 0xff)).toBe(true)
  return target.subarray(10, end).toString('utf8')
}

describe('writeResultTuple', () => {
  it('writes the bytes of itemTupleJson, after a comma, for any result', () => {
    for (const r of RESULTS) {
      for (const by of BYS) {
        expect(written(7, 4242, r, by)).toBe(',' + itemTupleJson({ n: 7, h: 4242, r, by }))
      }
    }
  })

  it('writes positions and hashes up to 2^53 - 1 exactly', () => {
    for (const n of NUMBERS) {
      for (const h of NUMBERS) {
        const text = written(n, h, 'x', 'local')
        expect(text).toBe(`,[${n},${h},"x","local"]`)
        expect(JSON.parse(text.slice(1))).toEqual([n, h, 'x', 'local'])
      }
    }
    for (let i = 0; i < 2000; i++) {
      const h = Math.floor(Math.random() * 2 ** (1 + (i % 53)))
      expect(written(i, h, '', '')).toBe(`,[${i},${h},"",""]`)
    }
  })

  it('reads back the result it was given, whatever its characters', () => {
    for (const r of RESULTS) {
      const tuple = JSON.parse(written(0, 0, r, 'local').slice(1)) as unknown[]
      expect(tuple[2]).toBe(JSON.parse(JSON.stringify(r)))
    }
  })
})
