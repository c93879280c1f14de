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

  it('joins lines cut across chunks, \\r\\n included', () => {
    expect(split('ab', 'c\nd', 'e\r', '\nf')).toEqual(['abc', 'de', 'f'])
    expect(split('a', '', '\n')).toEqual(['a'])
  })
})
