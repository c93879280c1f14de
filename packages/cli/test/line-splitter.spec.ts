import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { LineSplitter } from '../src/line-splitter.ts'

function split(...chunks: string[]): string[] {
  const splitter = new LineSplitter()
  return [...chunks.flatMap((chunk) => splitter.push(chunk)), ...splitter.end()]
}

describe('LineSplitter', () => {
  it('makes every line an item, except an empty last line', () => {
    expect(split('a\nb\n')).toEqual(['a', 'b'])
    expect(split('a\nb')).toEqual(['a', 'b'])
    expect(split('a\n\nb\n')).toEqual(['a', '', 'b'])
    expect(split('\n')).toEqual([''])
    expect(split('\n\n')).toEqual(['', ''])
    expect(split('')).toEqual([])
  })

  it('drops the \\r of Windows line ends, and only that one', () => {
    expect(split('a\r\nb\r\n')).toEqual(['a', 'b'])
    expect(split('a\rb\n')).toEqual(['a\rb'])
    expect(split('a\r\r\n')).toEqual(['a\r'])
    expect(split('last\r')).toEqual(['last'])
  })

  it('with NUL as separator (--null), ends records at NUL only, by the same rules, and keeps \\r', () => {
    const splitter = new LineSplitter('\0')
    const records = [
      ...['a\nb\0c', 'd\r\0', '\0', 'last'].flatMap((chunk) => splitter.push(chunk)),
      ...splitter.end(),
    ]
    expect(records).toEqual(['a\nb', 'cd\r', '', 'last'])
  })

  it('joins lines cut across chunks, \\r\\n included', () => {
    expect(split('ab', 'c\nd', 'e\r', '\nf')).toEqual(['abc', 'de', 'f'])
    expect(split('a', '', '\n')).toEqual(['a'])
  })

  it('gives the same lines however the text is cut into chunks', () => {
    const text = fc.string({ unit: fc.constantFrom('a', 'b', '\r', '\n'), maxLength: 60 })
    fc.assert(
      fc.property(text, fc.array(fc.nat({ max: 60 }), { maxLength: 8 }), (whole, cuts) => {
        const points = [...new Set(cuts.filter((cut) => cut <= whole.length))].sort((a, b) => a - b)
        const chunks = [0, ...points].map((start, i) => whole.slice(start, points[i] ?? whole.length))
        expect(split(...chunks)).toEqual(split(whole))
      }),
    )
  })

  it('keeps a line of many chunks whole (a 20 MB item arriving 64 KiB at a time)', () => {
    const chunk = 'x'.repeat(64 * 1024)
    const chunks = Array.from({ length: 320 }, () => chunk)
    const lines = split(...chunks, '\nnext\n')
    expect(lines.map((line) => line.length)).toEqual([320 * 64 * 1024, 4])
  })
})
