import { RECONNECT_BASE_DELAY, RECONNECT_MAX_DELAY } from './constants.ts'

/**
 * How a page (a volunteer tab, a dashboard) comes back after its WebSocket closed, whatever the code (1001,
 * 1008, 1012, 1013, 4000…): after a delay that doubles at each failed attempt, with jitter.
 */

/**
 * Delay before reconnection attempt `attempt` (0 for the first), in ms: exponential, capped, with "equal
 * jitter" (half fixed, half random), so pages dropped together by a restart do not come back in lockstep.
 */
export function reconnectDelay(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(RECONNECT_MAX_DELAY, RECONNECT_BASE_DELAY * 2 ** Math.max(0, attempt))
  return ceiling / 2 + (random() * ceiling) / 2
}
