import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { Heartbeat } from '../src/index.ts'
import { globalClock } from './global-clock.ts'

describe('Heartbeat', () => {
  beforeEach(() => {
    vi.useFakeTimers()
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  function watch(timeoutMs = 1_000) {
    const calls = { sent: 0, timeouts: 0 }
    const heartbeat = new Heartbeat(
      { timeoutMs },
      { clock: globalClock, send: () => calls.sent++, onTimeout: () => calls.timeouts++ },
    )
    heartbeat.start()
    return { heartbeat, calls }
  }

  it('sends a sign of life every timeoutMs / 4', () => {
    const { calls } = watch()
    vi.advanceTimersByTime(250)
    expect(calls.sent).toBe(1)
    vi.advanceTimersByTime(250)
    expect(calls.sent).toBe(2)
  })

  it('gives a silent peer up within timeoutMs, once, and stops', () => {
    const { calls } = watch()
    vi.advanceTimersByTime(999)
    expect(calls.timeouts).toBe(0)
    vi.advanceTimersByTime(1)
    expect(calls.timeouts).toBe(1)
    vi.advanceTimersByTime(10_000)
    expect(calls.timeouts).toBe(1)
    expect(calls.sent).toBe(3)
  })

  it('keeps a peer that answers, even when its messages arrive late by less than half of timeoutMs', () => {
    const { heartbeat, calls } = watch()
    for (let t = 0; t < 20; t++) {
      vi.advanceTimersByTime(740)
      heartbeat.received()
    }
    expect(calls.timeouts).toBe(0)
  })

  it('gives a peer up between 3/4 of timeoutMs and timeoutMs after its last message', () => {
    const { heartbeat, calls } = watch()
    vi.advanceTimersByTime(600)
    heartbeat.received()
    vi.advanceTimersByTime(750)
    expect(calls.timeouts).toBe(0)
    vi.advanceTimersByTime(250)
    expect(calls.timeouts).toBe(1)
  })

  it('gives a peer a fresh interval when its own tick came late (this process stalled), then still drops it if silent', () => {
    let now = 0
    let pending: (() => void) | undefined
    const clock = {
      now: () => now,
      setTimeout: (callback: () => void) => ((pending = callback), 1),
      clearTimeout: () => (pending = undefined),
    }
    const calls = { sent: 0, timeouts: 0 }
    const heartbeat = new Heartbeat(
      { timeoutMs: 1_000 },
      { clock, send: () => calls.sent++, onTimeout: () => calls.timeouts++ },
    )
    heartbeat.start()
    const tickAt = (time: number): void => {
      now = time
      pending?.()
    }
    tickAt(5_000) // due at 250: the loop was blocked for almost 5 s
    expect(calls.timeouts).toBe(0)
    tickAt(5_250)
    tickAt(5_500)
    tickAt(5_750)
    expect(calls.timeouts).toBe(0)
    tickAt(6_000) // silent for a whole timeoutMs of ticks that came on time
    expect(calls.timeouts).toBe(1)
  })

  it('does nothing after stop', () => {
    const { heartbeat, calls } = watch()
    heartbeat.stop()
    heartbeat.stop()
    vi.advanceTimersByTime(10_000)
    expect(calls).toEqual({ sent: 0, timeouts: 0 })
  })

  it('rejects a timeout that is not positive and fewer than 2 ticks', () => {
    const components = { clock: globalClock, send: () => undefined, onTimeout: () => undefined }
    expect(() => new Heartbeat({ timeoutMs: 0 }, components)).toThrow(RangeError)
    expect(() => new Heartbeat({ timeoutMs: 10, ticks: 1 }, components)).toThrow(RangeError)
  })
})
