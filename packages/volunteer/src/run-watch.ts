import { RUN_WATCH_FAILURES, RUN_WATCH_INTERVAL_MS } from './constants.ts'
import { NoRunYetError } from './run-config.ts'

export interface RunWatchOptions {
  /** Asks the server for the run's config (`fetchRunConfig` of the page's URL); rejects when it cannot. */
  readonly check: () => Promise<unknown>
  /** Called once the server is gone, or serves this run no more: the run is over. */
  readonly onGone: () => void
  /** @default RUN_WATCH_INTERVAL_MS */
  readonly intervalMs?: number
  /** @default RUN_WATCH_FAILURES */
  readonly failures?: number
}

/**
 * Watches, while the tab reconnects, whether its run still exists: a tab whose link broke in the last
 * moments of a run would never hear the root's "finished" (the root's server exits with it), and would say
 * "reconnecting" forever. Every interval it asks for the run's config: the server answering it (or saying it
 * has no run yet, a `pando-server`) means keep trying; no answer, or a refusal, several times in a row,
 * means the run is over.
 */
export class RunWatch {
  readonly #options: Required<RunWatchOptions>
  #timer: ReturnType<typeof setTimeout> | undefined
  #failed = 0
  #generation = 0

  constructor(options: RunWatchOptions) {
    this.#options = { intervalMs: RUN_WATCH_INTERVAL_MS, failures: RUN_WATCH_FAILURES, ...options }
  }

  /** Starts watching (again a no-op while watching). */
  start(): void {
    if (this.#timer !== undefined) return
    this.#failed = 0
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

  async #check(generation: number): Promise<void> {
    let gone: boolean
    try {
      await this.#options.check()
      gone = false
    } catch (error) {
      gone = !(error instanceof NoRunYetError)
    }
    if (generation !== this.#generation) return
    this.#failed = gone ? this.#failed + 1 : 0
    if (this.#failed < this.#options.failures) return this.#schedule(generation)
    this.stop()
    this.#options.onGone()
  }
}
