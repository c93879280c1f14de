import { THROUGHPUT_WINDOW } from './constants.ts'

/** Items per second over a sliding window (the last `windowMs`), from completion records. */
export class ThroughputMeter {
  readonly #windowMs: number
  readonly #records: { time: number; count: number }[] = []
  #first: number | undefined

  constructor(windowMs = THROUGHPUT_WINDOW) {
    this.#windowMs = windowMs
  }

  /** `count` items completed at `now` (ms). */
  record(count: number, now: number): void {
    this.#first ??= now
    this.#records.push({ time: now, count })
    this.#prune(now)
  }

  /**
   * Items per second at `now`. Until a full window has passed since the first record, the rate is over the
   * time elapsed (at least one second), so the figure is right from the start rather than ramping up.
   */
  rate(now: number): number {
    this.#prune(now)
    if (this.#first === undefined) return 0
    const span = Math.max(1_000, Math.min(this.#windowMs, now - this.#first))
    const total = this.#records.reduce((sum, record) => sum + record.count, 0)
    return (total * 1_000) / span
  }

  #prune(now: number): void {
    while (this.#records.length > 0 && (this.#records[0]?.time ?? now) <= now - this.#windowMs) {
      this.#records.shift()
    }
  }
}
