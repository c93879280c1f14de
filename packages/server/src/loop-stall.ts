import { STALL_INTERVALS } from './constants.ts'

/**
 * The ticks of a watchdog that runs every `intervalMs`, watched for lateness: when its own event loop was
 * stalled, every peer looks silent for the length of the stall, though their messages wait, unread, in the
 * socket buffers (timers run before those are read). A watchdog asks {@link LoopStall.stalled} at each tick
 * and, when it says so, gives every peer a fresh interval instead of dropping anyone for that silence.
 */
export class LoopStall {
  readonly #intervalMs: number
  readonly #now: () => number
  #lastTick: number

  constructor(intervalMs: number, now: () => number = () => performance.now()) {
    this.#intervalMs = intervalMs
    this.#now = now
    this.#lastTick = now()
  }

  /** Records a tick; returns whether it came more than {@link STALL_INTERVALS} intervals late. */
  stalled(): boolean {
    const now = this.#now()
    const late = now - this.#lastTick - this.#intervalMs
    this.#lastTick = now
    return late > STALL_INTERVALS * this.#intervalMs
  }
}
