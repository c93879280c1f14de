import { describe, expect, it } from 'vitest'
import { ItemTimeoutRule } from '../src/item-timeout-rule.ts'
import {
  RELATIVE_TIMEOUT_SAMPLES,
  RELATIVE_TIMEOUT_WARMUP_MS,
  RELATIVE_TIMEOUT_FLOOR_MS,
} from '../src/constants.ts'

describe('ItemTimeoutRule', () => {
  it('is the fixed time it was given, whatever the items took', () => {
    const deadline = new ItemTimeoutRule(90_000)
    deadline.measure(5)
    expect(deadline.ms).toBe(90_000)
  })

  it('is the warm-up time until enough items are measured, then the percentage of their median', () => {
    const deadline = new ItemTimeoutRule({ percent: 300 })
    expect(RELATIVE_TIMEOUT_SAMPLES).toBe(3)
    expect(deadline.ms).toBe(RELATIVE_TIMEOUT_WARMUP_MS)
    deadline.measure(2_000)
    deadline.measure(10_000)
    expect(deadline.ms).toBe(RELATIVE_TIMEOUT_WARMUP_MS)
    deadline.measure(3_000)
    expect(deadline.ms).toBe(9_000)
    deadline.measure(4_000)
    expect(deadline.ms).toBe(10_500)
  })

  it('is never shorter than the floor, for items of a few ms', () => {
    const deadline = new ItemTimeoutRule({ percent: 200 })
    for (let i = 0; i < 10; i++) deadline.measure(2)
    expect(deadline.ms).toBe(RELATIVE_TIMEOUT_FLOOR_MS)
  })

  it('counts a batch timed as a whole as that many items, and keeps only the latest 255', () => {
    const deadline = new ItemTimeoutRule({ percent: 300 })
    deadline.measure(1_000, 3)
    expect(deadline.ms).toBe(3_000)
    deadline.measure(2_000, 1_000)
    expect(deadline.ms).toBe(6_000)
    deadline.measure(500, 0)
    expect(deadline.ms).toBe(6_000)
  })
})
