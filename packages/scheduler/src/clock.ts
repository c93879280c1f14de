import type { Clock, GlobalTimers, TimerHandle } from '@pando/protocol'

export type { TimerHandle } from '@pando/protocol'

/** Time and timers for the lender's straggler checks, injected so that tests run on virtual time. */
export type LenderClock = Clock

// The ES2022 lib declares no timers, but every platform the lender runs on (Node, pages, Workers) has them.
// They are looked up on each call, not once, so that fake timers installed after import are used.
const platform = (): GlobalTimers => globalThis as unknown as GlobalTimers

/** The platform's clock: `performance.now` (monotonic) where there is one, else `Date.now`, and its timers. */
export const systemClock: LenderClock = {
  now: () => platform().performance?.now() ?? Date.now(),
  setTimeout: (callback, ms) => platform().setTimeout(callback, ms),
  clearTimeout: (handle) => {
    platform().clearTimeout(handle)
  },
}

/** Lets a pending timer not keep a Node process alive (a no-op where handles have no `unref`). */
export function unref(handle: TimerHandle): void {
  const unrefable = handle as { unref?: unknown } | null
  if (typeof unrefable === 'object' && unrefable !== null && typeof unrefable.unref === 'function')
    (unrefable as { unref(): void }).unref()
}
