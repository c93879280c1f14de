import { RUN_WATCH_FAILURES, RUN_WATCH_INTERVAL_MS, RUN_WATCH_TIMEOUT_MS } from './constants.ts'
import { RunEndedError } from './run-config.ts'

export interface RunWatchOptions {
  /**
   * Asks the server for the run's config (`fetchRunConfig` of the page's URL), giving up when `signal`
   * aborts; rejects when there is none, with a `RunEndedError` when the server says the last run finished.
   */
  readonly check: (signal: AbortSignal) => Promise<unknown>
  /** The root could not be reached `failures` times in a row (called once, until it is reached again). */
  readonly onUnreachable: () => void
  /** The root serves its run again, after `onUnreachable`. */
  readonly onReachable: () => void
  /** The server said the run finished: the watch stops. */
  readonly onEnded: () => void
  /** @default RUN_WATCH_INTERVAL_MS */
  readonly intervalMs?: number
  /** @default RUN_WATCH_FAILURES */
  readonly failures?: number
  /** How long a check may take before it counts as a failure. @default RUN_WATCH_TIMEOUT_MS */
  readonly timeoutMs?: number
}

/**
 * Watches, while a tab that was in a run reconnects, whether its root can be reached, and whether the run
 * finished. Every interval it asks for the run's config: served means the root is there (the tab rejoins by
 * itself); a `pando-server` saying its last run finished (`RUN_ENDED_REASON`) means it did; anything else (no
 * answer in time, a refusal, a server with no root) is a failure, and several in a row mean the root cannot
 * be reached, which is all the tab knows: a root that merely stalls, a network that drops for a while, and
 * a root that is gone look the same from here, so the watch never takes a failure for the end of the run,
 * and goes on asking until it is stopped.
 */
export class RunWatch {
  readonly #options: Required<RunWatchOptions>
  #timer: ReturnType<typeof setTimeout> | undefined
  #failed = 0
  #unreachable = false
  #generation = 0

  constructor(options: RunWatchOptions) {
    this.#options = {
      intervalMs: RUN_WATCH_INTERVAL_MS,
      failures: RUN_WATCH_FAILURES,
      timeoutMs: RUN_WATCH_TIMEOUT_MS,
      ...options,
    }
  }

  /** Starts watching (a no-op while watching). */
  start(): void {
    if (this.#timer !== undefined) return
    this.#failed = 0
    this.#unreachable = false
    this.#schedule(this.#generation)
  }

  /** Stops watching: the tab is back in a run, or finished. Idempotent. */
  stop(): void {
    clearTimeout(this.#timer)
    this.#timer = undefined
    this.#generation++
  }

  #schedule(generation: number): void {
    this.#timer = setTimeout(() => void this.#check(generation), this.#options.intervalMs)
  }

  /** What one check found: the run `served`, `ended`, or a failure. */
  async #ask(): Promise<'served' | 'ended' | 'failed'> {
    const abort = new AbortController()
    let timer: ReturnType<typeof setTimeout> | undefined
    const timedOut = new Promise<'failed'>((resolve) => {
      timer = setTimeout(() => {
        abort.abort()
        resolve('failed')
      }, this.#options.timeoutMs)
    })
    const answer = this.#options.check(abort.signal).then(
      () => 'served' as const,
      (error: unknown) => (error instanceof RunEndedError ? ('ended' as const) : ('failed' as const)),
    )
    try {
      return await Promise.race([answer, timedOut])
    } finally {
      clearTimeout(timer)
    }
  }

  async #check(generation: number): Promise<void> {
    const found = await this.#ask()
    if (generation !== this.#generation) return
    if (found === 'ended') {
      this.stop()
      this.#options.onEnded()
      return
    }
    this.#failed = found === 'failed' ? this.#failed + 1 : 0
    if (found === 'served' && this.#unreachable) {
      this.#unreachable = false
      this.#options.onReachable()
    } else if (this.#failed >= this.#options.failures && !this.#unreachable) {
      this.#unreachable = true
      this.#options.onUnreachable()
    }
    // A callback may have stopped the watch (the tab rejoined meanwhile).
    if (generation === this.#generation) this.#schedule(generation)
  }
}
