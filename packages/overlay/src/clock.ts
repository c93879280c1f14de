import type { Clock, GlobalTimers } from '@pando/protocol'

export type { Clock, TimerHandle } from '@pando/protocol'

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
