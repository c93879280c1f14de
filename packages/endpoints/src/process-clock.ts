import type { Clock } from '@pando/overlay'

/**
 * The root's clock for the overlay's timers (a volunteer's heartbeat…): `performance.now()`, which no change
 * of the system's time moves, and timers that do not keep the process alive (`unref`): a run ends when its
 * work does, not when the last volunteer's watch would have fired.
 */
export const processClock: Clock = {
  now: () => performance.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms).unref(),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
}
