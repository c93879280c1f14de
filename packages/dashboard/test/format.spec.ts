import { describe, expect, it } from 'vitest'
import {
  estimateRemaining,
  formatAge,
  formatCount,
  formatDuration,
  formatPercent,
  formatRate,
  truncate,
} from '../src/format.ts'

describe('format', () => {
  it('groups counts by thousands', () => {
    expect(formatCount(0)).toBe('0')
    expect(formatCount(1_234_567)).toBe('1,234,567')
  })

  it('gives rates as many decimals as they need', () => {
    expect(formatRate(0)).toBe('0.00')
    expect(formatRate(3.14159)).toBe('3.14')
    expect(formatRate(12.345)).toBe('12.3')
    expect(formatRate(1234.5)).toBe('1,235')
    expect(formatRate(Infinity)).toBe('–')
  })

  it('writes percentages', () => {
    expect(formatPercent(7.46)).toBe('7.5%')
    expect(formatPercent(57.4)).toBe('57%')
    expect(formatPercent(Number.NaN)).toBe('–')
  })

  it('writes durations as clocks', () => {
    expect(formatDuration(0)).toBe('0:00')
    expect(formatDuration(7_900)).toBe('0:07')
    expect(formatDuration(723_000)).toBe('12:03')
    expect(formatDuration(3_723_000)).toBe('1:02:03')
    expect(formatDuration(3 * 86_400_000 + 4 * 3_600_000 + 5 * 60_000 + 6_000)).toBe('3 d 04:05:06')
    expect(formatDuration(-5)).toBe('0:00')
  })

  it('writes ages', () => {
    expect(formatAge(300)).toBe('now')
    expect(formatAge(4_200)).toBe('4 s')
    expect(formatAge(180_000)).toBe('3 min')
    expect(formatAge(3 * 3_600_000)).toBe('3 h')
  })

  it('estimates the time left only when the number of items is known and work goes on', () => {
    expect(estimateRemaining(100, null, 10, 10)).toBeUndefined()
    expect(estimateRemaining(100, 200, 10, 5)).toBe(10_000)
    expect(estimateRemaining(100, 200, 0, 5)).toBe(20_000)
    expect(estimateRemaining(100, 200, 0, 0)).toBeUndefined()
    expect(estimateRemaining(200, 200, 0, 0)).toBe(0)
  })

  it('truncates with an ellipsis', () => {
    expect(truncate('short', 10)).toBe('short')
    expect(truncate('MacBook Pro 2016', 10)).toBe('MacBook P…')
  })
})
