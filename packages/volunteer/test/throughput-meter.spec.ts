import { describe, expect, it } from 'vitest'
import { ThroughputMeter } from '../src/throughput-meter.ts'

describe('ThroughputMeter', () => {
  it('is 0 before anything completes', () => {
    expect(new ThroughputMeter(5_000).rate(123)).toBe(0)
  })

  it('averages over the time elapsed until a window has passed, at least one second', () => {
    const meter = new ThroughputMeter(5_000)
    meter.record(10, 0)
    expect(meter.rate(0)).toBe(10)
    meter.record(10, 2_000)
    expect(meter.rate(2_000)).toBe(10)
  })

  it('forgets completions older than the window', () => {
    const meter = new ThroughputMeter(5_000)
    meter.record(100, 0)
    meter.record(50, 4_000)
    expect(meter.rate(4_000)).toBe(150 / 4)
    expect(meter.rate(6_000)).toBe(50 / 5)
    expect(meter.rate(20_000)).toBe(0)
  })
})
