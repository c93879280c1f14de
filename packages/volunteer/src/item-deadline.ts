import { itemTimeoutError, type Outcome } from '@pando/protocol'

/** The outcome of an item its Worker was stuck on for `timeoutMs`. */
export function itemTimeoutOutcome(id: number, timeoutMs: number): Outcome {
  return { id, ok: false, error: itemTimeoutError(timeoutMs, 'the Worker was stopped and replaced') }
}

/**
 * The deadline of a running batch: `expired` resolves once `timeoutMs` pass without `progress()` (the Worker
 * started or finished an item), so a long batch of quick items is never taken for a stuck Worker, and one
 * stuck in an endless loop is caught `timeoutMs` after it last moved on.
 *
 * `progress()` only notes the time: a Worker reports progress up to 50 times a second, and setting a timer
 * at each report was a tenth of the page's main-thread time in a profile of 10 ms items. One timer runs;
 * when it fires early (progress came meanwhile), it is set again for what is left.
 */
export class ItemDeadline {
  readonly expired: Promise<void>
  readonly #timeoutMs: number
  #expire: () => void = () => undefined
  #timer: ReturnType<typeof setTimeout> | undefined
  /** When the Worker last moved on (`performance.now()`). */
  #lastProgress: number
  #stopped = false

  /** Starts counting at once. */
  constructor(timeoutMs: number) {
    this.#timeoutMs = timeoutMs
    this.expired = new Promise((resolve) => (this.#expire = resolve))
    this.#lastProgress = performance.now()
    this.#arm(timeoutMs)
  }

  /** The Worker moved on: the deadline counts from now. */
  progress(): void {
    if (!this.#stopped) this.#lastProgress = performance.now()
  }

  /** The batch ended: `expired` never resolves. Idempotent. */
  stop(): void {
    this.#stopped = true
    clearTimeout(this.#timer)
  }

  #arm(ms: number): void {
    this.#timer = setTimeout(() => {
      if (this.#stopped) return
      const left = this.#lastProgress + this.#timeoutMs - performance.now()
      if (left > 0) {
        this.#arm(left)
        return
      }
      this.#stopped = true
      this.#expire()
    }, ms)
  }
}
