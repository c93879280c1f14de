import type { Clock } from '@pando/protocol'

/**
 * A Node process's clock for its links' timers (the root's watch of a volunteer, both ends of the root
 * link…): `performance.now()`, which no change of the system's time moves, and timers that do not keep the
 * process alive (`unref`): a run ends when its work does, not when the last volunteer's watch would have
 * fired.
 */
export const processClock: Clock = {
  now: () => performance.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms).unref(),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
}
