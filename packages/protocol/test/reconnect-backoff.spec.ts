import { describe, expect, it } from 'vitest'
import { reconnectDelay } from '../src/reconnect-backoff.ts'
import { RECONNECT_BASE_DELAY, RECONNECT_MAX_DELAY } from '../src/constants.ts'

describe('reconnectDelay', () => {
  it('doubles with each attempt, between half and all of the ceiling', () => {
    expect(reconnectDelay(0, () => 0)).toBe(RECONNECT_BASE_DELAY / 2)
    expect(reconnectDelay(0, () => 1)).toBe(RECONNECT_BASE_DELAY)
    expect(reconnectDelay(2, () => 1)).toBe(RECONNECT_BASE_DELAY * 4)
  })

  it('never exceeds the maximum delay', () => {
    for (const attempt of [5, 10, 100, 10_000]) {
      expect(reconnectDelay(attempt, () => 1)).toBe(RECONNECT_MAX_DELAY)
      expect(reconnectDelay(attempt, () => 0)).toBe(RECONNECT_MAX_DELAY / 2)
    }
  })
})
