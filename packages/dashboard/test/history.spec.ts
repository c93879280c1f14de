import { describe, expect, it } from 'vitest'
import { OTHERS_KEY, ThroughputHistory, stack } from '../src/history.ts'
import { ColorRegistry, PALETTE, lighten } from '../src/palette.ts'
import { statusAt } from './scenario.ts'

describe('ThroughputHistory', () => {
  it('keeps one series per volunteer, 0 where a volunteer was absent', () => {
    const history = new ThroughputHistory(10, 10)
    history.add(statusAt(1, 2))
    history.add(statusAt(2, 4))
    const data = history.data()
    expect(data.times).toEqual([statusAt(1).timestamp / 1000, statusAt(2).timestamp / 1000])
    expect(data.series.map((s) => s.label)).toEqual([
      'MacBook Pro 2016',
      'Asus laptop',
      'iPhone SE',
      'Novena',
    ])
    expect(data.series[2]?.values[0]).toBe(0)
    expect(data.series[0]?.values[1]).toBe(statusAt(2).volunteers[0]?.throughput)
  })

  it('keeps the last `capacity` statuses and ignores one sent again', () => {
    const history = new ThroughputHistory(3, 10)
    for (let step = 1; step <= 5; step++) history.add(statusAt(step))
    history.add(statusAt(5))
    history.add(statusAt(4))
    expect(history.data().times).toEqual([3, 4, 5].map((step) => statusAt(step).timestamp / 1000))
  })

  it('sums the volunteers beyond the limit as "others"', () => {
    const history = new ThroughputHistory(10, 3)
    history.add(statusAt(1))
    const { series } = history.data()
    expect(series.map((s) => s.key)).toEqual(['3f9a1c20', 'b71e44d9', OTHERS_KEY])
    expect(series[2]?.label).toBe('2 others')
    const [, , third, fourth] = statusAt(1).volunteers
    expect(series[2]?.values[0]).toBeCloseTo((third?.throughput ?? 0) + (fourth?.throughput ?? 0), 10)
  })

  it('forgets volunteers gone from the window', () => {
    const history = new ThroughputHistory(2, 10)
    history.add(statusAt(1, 4))
    history.add(statusAt(2, 1))
    history.add(statusAt(3, 1))
    expect(history.data().series.map((s) => s.key)).toEqual(['3f9a1c20'])
  })
})

describe('stack', () => {
  it('gives running sums, bottom first', () => {
    expect(
      stack([
        [1, 2],
        [3, 4],
        [0, 1],
      ]),
    ).toEqual([
      [1, 2],
      [4, 6],
      [4, 7],
    ])
    expect(stack([])).toEqual([])
  })
})

describe('ColorRegistry', () => {
  it('gives each key its colour, in order, and keeps it', () => {
    const colors = new ColorRegistry()
    expect(colors.colorOf('a')).toBe(PALETTE[0])
    expect(colors.colorOf('b')).toBe(PALETTE[1])
    expect(colors.colorOf('a')).toBe(PALETTE[0])
    for (let i = 0; i < PALETTE.length; i++) colors.colorOf(`k${i}`)
    expect(colors.colorOf('after')).toBe(PALETTE[2])
  })

  it('lightens colours towards white', () => {
    expect(lighten('#000000', 0.5)).toBe('#808080')
    expect(lighten('#4e79a7', 0)).toBe('#4e79a7')
    expect(lighten('#4e79a7', 1)).toBe('#ffffff')
  })
})
