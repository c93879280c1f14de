import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { RoundTrip } from '../src/index.ts'
import { globalClock } from './global-clock.ts'

describe('RoundTrip', () => {
  beforeEach(() => {
    vi.useFakeTimers()
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  it("measures the round trip from the peer's echo, leaving out the time the peer kept it", () => {
    const clock = globalClock
    const near = new RoundTrip(clock)
    const far = new RoundTrip(clock)
    expect(near.ms).toBe(0)
    const first = near.heartbeat()
    expect(first).toEqual({ type: 'heartbeat', sentAt: clock.now() })
    vi.advanceTimersByTime(20) // the heartbeat travels
    expect(far.received(first)).toBeUndefined()
    vi.advanceTimersByTime(300) // the peer's next tick
    const echo = far.heartbeat()
    expect(echo).toMatchObject({ echo: first.sentAt, heldMs: 300 })
    vi.advanceTimersByTime(20)
    expect(near.received(echo)).toBe(40)
    expect(near.ms).toBe(40)
    // An echo is sent once: the peer's next heartbeat only carries its own time.
    expect(far.heartbeat()).not.toHaveProperty('echo')
  })

  it('smooths new samples in, and ignores ones a lying peer makes negative', () => {
    const clock = globalClock
    const trip = new RoundTrip(clock)
    const sample = (ms: number, heldMs = 0): number | undefined => {
      const { sentAt } = trip.heartbeat()
      vi.advanceTimersByTime(ms + heldMs)
      return trip.received({ type: 'heartbeat', echo: sentAt, heldMs })
    }
    expect(sample(40)).toBe(40)
    expect(sample(120, 10)).toBe(50) // 40 + (120 − 40) / 8
    expect(trip.received({ type: 'heartbeat', echo: clock.now(), heldMs: 5 })).toBeUndefined()
    expect(trip.received({ type: 'heartbeat', echo: clock.now() + 1_000, heldMs: 0 })).toBeUndefined()
    expect(trip.received({ type: 'jobs' })).toBeUndefined()
    expect(trip.ms).toBe(50)
  })

  it('counts only the echo of a heartbeat it sent, once: unsolicited echoes measure nothing', () => {
    const clock = globalClock
    const trip = new RoundTrip(clock)
    vi.advanceTimersByTime(1_000)
    // A time it never sent, however plausible.
    expect(trip.received({ type: 'heartbeat', echo: 500, heldMs: 0 })).toBeUndefined()
    const { sentAt } = trip.heartbeat()
    vi.advanceTimersByTime(30)
    expect(trip.received({ type: 'heartbeat', echo: sentAt, heldMs: 0 })).toBe(30)
    vi.advanceTimersByTime(5_000)
    // The same echo again, later: already answered.
    expect(trip.received({ type: 'heartbeat', echo: sentAt, heldMs: 0 })).toBeUndefined()
    expect(trip.ms).toBe(30)
  })

  it('takes only times from what a peer sends: nothing else is computed with, or echoed back', () => {
    const clock = globalClock
    const trip = new RoundTrip(clock)
    // JSON can carry objects whose coercion to a number throws ("valueOf" is not a function).
    const hostile = { valueOf: 1 }
    expect(
      trip.received({ type: 'heartbeat', sentAt: hostile, echo: hostile, heldMs: hostile }),
    ).toBeUndefined()
    expect(trip.received({ type: 'heartbeat', echo: '5', heldMs: 1 })).toBeUndefined()
    expect(trip.heartbeat()).toEqual({ type: 'heartbeat', sentAt: clock.now() })
    expect(trip.ms).toBe(0)
  })
})
