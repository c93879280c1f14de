import { itemTimeoutError, type Outcome } from '@pando/protocol'

/** The outcome of an item its Worker was stuck on for `timeoutMs`. */
export function itemTimeoutOutcome(id: number, timeoutMs: number): Outcome {
  return { id, ok: false, error: itemTimeoutError(timeoutMs, 'the Worker was stopped and replaced') }
}

/**
 * The deadline of a running batch: `expired` resolves once `timeoutMs` pass without `progress()` (the Worker
 * started or finished an item), so a long batch of quick items is never taken for a stuck Worker, and one
 * stuck in an endless loop is caught `timeoutMs` after it last moved on.
 */
export class ItemDeadline {
  readonly expired: Promise<void>
  readonly #timeoutMs: number
  #expire: () => void = () => undefined
  #timer: ReturnType<typeof setTimeout> | undefined
  #stopped = false

  /** Starts counting at once. */
  constructor(timeoutMs: number) {
    this.#timeoutMs = timeoutMs
    this.expired = new Promise((resolve) => (this.#expire = resolve))
    this.progress()
  }

  /** The Worker moved on: the deadline counts from now. */
  progress(): void {
    if (this.#stopped) return
    clearTimeout(this.#timer)
    this.#timer = setTimeout(() => {
      this.#stopped = true
      this.#expire()
    }, this.#timeoutMs)
  }

  /** The batch ended: `expired` never resolves. Idempotent. */
  stop(): void {
    this.#stopped = true
    clearTimeout(this.#timer)
  }
}
