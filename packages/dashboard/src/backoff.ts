import { RECONNECT_BASE_DELAY, RECONNECT_MAX_DELAY } from './constants.ts'

/**
 * Delay before reconnection attempt `attempt` (0 for the first), in ms: exponential, capped, with "equal
 * jitter" (half fixed, half random), so dashboards dropped together by a restart do not return in lockstep.
 */
export function reconnectDelay(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(RECONNECT_MAX_DELAY, RECONNECT_BASE_DELAY * 2 ** Math.max(0, attempt))
  return ceiling / 2 + (random() * ceiling) / 2
}
