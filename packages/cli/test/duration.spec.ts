import { describe, expect, it } from 'vitest'
import { formatDuration, parseDuration } from '../src/duration.ts'

describe('parseDuration', () => {
  it.each([
    ['1500', 'ms', 1_500],
    ['3', 's', 3_000],
    ['250ms', 's', 250],
    ['90s', 'ms', 90_000],
    ['1.5s', 'ms', 1_500],
    ['.5s', 'ms', 500],
    ['2m', 'ms', 120_000],
    ['1h', 'ms', 3_600_000],
    ['0', 'ms', 0],
  ] as const)('reads %j (bare unit %s) as %d ms', (text, unit, ms) => {
    expect(parseDuration(text, unit, false)).toBe(ms)
  })

  it('reads a percentage only where the option allows it', () => {
    expect(parseDuration('300%', 'ms', true)).toEqual({ percent: 300 })
    expect(parseDuration('300%', 'ms', false)).toBeUndefined()
  })

  it.each(['', 'abc', '-1', '1 s', '1sec', '1d', '1e3', '90ss', 's'])('refuses %j', (text) => {
    expect(parseDuration(text, 'ms', true)).toBeUndefined()
  })
})

describe('formatDuration', () => {
  it('writes a duration in the largest unit that writes it whole', () => {
    expect([0, 1_500, 2_000, 90_000, 120_000, 3_600_000].map((ms) => formatDuration(ms))).toEqual([
      '0',
      '1500ms',
      '2s',
      '90s',
      '2m',
      '1h',
    ])
    expect(formatDuration({ percent: 300 })).toBe('300%')
  })
})
