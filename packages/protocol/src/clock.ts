/** What `setTimeout` returned: pass it back to `clearTimeout` and nothing else. */
export type TimerHandle = unknown

/**
 * Time and timers, injected so that tests and simulations can run on virtual time: the overlay's tree nodes
 * and the scheduler's lenders take one (each package has its own `systemClock`).
 */
export interface Clock {
  /** The current time, in ms (any origin; only differences matter). */
  now(): number
  /** Calls `callback` once, `ms` from now (0: after what is running now). */
  setTimeout(callback: () => void, ms: number): TimerHandle
  /** Cancels a timer that has not fired; does nothing otherwise. */
  clearTimeout(handle: TimerHandle): void
}

/**
 * The platform's timers (and monotonic clock, where there is one), which the ES2022 lib does not declare
 * though every platform this runs on has them: look them up on `globalThis` at each call, not once, so that
 * fake timers installed after import (vitest's) are used.
 */
export interface GlobalTimers {
  setTimeout(callback: () => void, ms: number): unknown
  clearTimeout(handle: unknown): void
  performance?: { now(): number }
}
