/** What `setTimeout` returned: pass it back to `clearTimeout` and nothing else. */
export type TimerHandle = unknown

/** Time and timers, injected so that tests and simulations can run on virtual time. */
export interface Clock {
  /** The current time, in ms (any origin; only differences matter). */
  now(): number
  /** Calls `callback` once, `ms` from now (0: after what is running now). */
  setTimeout(callback: () => void, ms: number): TimerHandle
  /** Cancels a timer that has not fired; does nothing otherwise. */
  clearTimeout(handle: TimerHandle): void
}

interface GlobalTimers {
  setTimeout(callback: () => void, ms: number): unknown
  clearTimeout(handle: unknown): void
}

// The ES2022 lib declares no timers, but every platform this runs on has them. They are looked up on each
// call, not once, so that fake timers installed after import (vitest's) are used.
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- needed where Node's types are absent
const timers = (): GlobalTimers => globalThis as unknown as GlobalTimers

/** The platform's clock: `Date.now` and the global timers. */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => timers().setTimeout(callback, ms),
  clearTimeout: (handle) => {
    timers().clearTimeout(handle)
  },
}
