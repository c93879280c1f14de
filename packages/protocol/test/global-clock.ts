import type { Clock } from '../src/index.ts'

/**
 * `Date.now` and the global timers, looked up at each call: under vitest's fake timers (`vi.useFakeTimers()`),
 * a clock that `vi.advanceTimersByTime` moves. (The overlay's and the scheduler's `systemClock` are alike; the
 * protocol has none of its own, its classes take a clock from those packages.)
 */
export const globalClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
}
