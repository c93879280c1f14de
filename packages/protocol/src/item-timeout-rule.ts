import {
  RELATIVE_TIMEOUT_SAMPLES,
  RELATIVE_TIMEOUT_WARMUP_MS,
  RELATIVE_TIMEOUT_FLOOR_MS,
  RELATIVE_TIMEOUT_WINDOW,
} from './constants.ts'

/**
 * An item deadline as `--item-timeout` gives it: milliseconds (0 for none), or a percentage of the median
 * time of the items measured so far (`300%`).
 */
export type ItemTimeout = number | { readonly percent: number }

/**
 * The rule of an item deadline, fixed (`--item-timeout 90s`) or relative to the median time of the items
 * measured so far (`--item-timeout 300%`, as GNU parallel's `--timeout 300%`): {@link RELATIVE_TIMEOUT_WARMUP_MS}
 * until {@link RELATIVE_TIMEOUT_SAMPLES} items are measured, then the percentage of the median of the latest
 * {@link RELATIVE_TIMEOUT_WINDOW}, never less than {@link RELATIVE_TIMEOUT_FLOOR_MS}. One rule wherever items are computed: in
 * the root (`--local`, `--no-start-idle`) and in each volunteer tab's Worker, each measuring its own items.
 */
export class ItemTimeoutRule {
  readonly #value: ItemTimeout
  readonly #times: number[] = []
  #median: number | undefined

  constructor(value: ItemTimeout) {
    this.#value = value
  }

  /** The deadline now, in ms; 0 for none. */
  get ms(): number {
    if (typeof this.#value === 'number') return this.#value
    if (this.#times.length < RELATIVE_TIMEOUT_SAMPLES) return RELATIVE_TIMEOUT_WARMUP_MS
    this.#median ??= median(this.#times)
    return Math.max(RELATIVE_TIMEOUT_FLOOR_MS, Math.round((this.#median * this.#value.percent) / 100))
  }

  /**
   * Counts the time an item took (one that succeeded or failed, not one given up), or `count` items that
   * took `ms` each (a batch timed as a whole).
   */
  measure(ms: number, count = 1): void {
    if (typeof this.#value === 'number' || count < 1) return
    for (let left = Math.min(count, RELATIVE_TIMEOUT_WINDOW); left > 0; left--) this.#times.push(ms)
    if (this.#times.length > RELATIVE_TIMEOUT_WINDOW)
      this.#times.splice(0, this.#times.length - RELATIVE_TIMEOUT_WINDOW)
    this.#median = undefined
  }
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = sorted.length >> 1
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? 0)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2
}
