/** When a page that has never been in the tree gives up on it. */
export interface JoinFallbackOptions {
  /** Failed join attempts before giving up, in attempts. */
  readonly maxFailures: number
  /** Time since joining began before giving up, in ms: the run's bootstrap timeout. */
  readonly timeoutMs: number
}

/**
 * Decides when a WebRTC join has failed for good, so the page falls back to the WebSocket: before the page
 * ever had a parent, after `maxFailures` failed attempts or `timeoutMs` without a parent, whichever comes
 * first. Once the page has had a parent, the tree works from here: losing the parent later means rejoining,
 * never falling back.
 */
export class JoinFallback {
  readonly #options: JoinFallbackOptions
  readonly #giveUp: (reason: string) => void
  #failures = 0
  #timer: ReturnType<typeof setTimeout> | undefined
  #done = false

  constructor(options: JoinFallbackOptions, giveUp: (reason: string) => void) {
    this.#options = options
    this.#giveUp = giveUp
  }

  /** Joining began: starts the clock. */
  start(): void {
    if (this.#done || this.#timer !== undefined) return
    const { timeoutMs } = this.#options
    this.#timer = setTimeout(() => this.#fail(`no parent within ${String(timeoutMs)} ms`), timeoutMs)
  }

  /** A join attempt failed. */
  failed(error: Error): void {
    if (this.#done) return
    this.#failures++
    if (this.#failures >= this.#options.maxFailures) {
      this.#fail(
        `${String(this.#failures)} join attempts failed, the last with ${error.name}: ${error.message}`,
      )
    }
  }

  /** The page got a parent: it never falls back. */
  joined(): void {
    this.stop()
  }

  /** Stops watching. Idempotent. */
  stop(): void {
    this.#done = true
    clearTimeout(this.#timer)
  }

  #fail(reason: string): void {
    this.stop()
    this.#giveUp(reason)
  }
}
