import type { Clock, TimerHandle } from './clock.ts'

/**
 * Runs an action soon after it is requested, at most once per `intervalMs`: requests made while one is
 * scheduled join it. The first request after {@link Throttle.reset} runs after what is running now.
 */
export class Throttle {
  private timer: TimerHandle | undefined
  private last = Number.NEGATIVE_INFINITY

  constructor(
    private readonly clock: Clock,
    private readonly intervalMs: number,
    private readonly action: () => void,
  ) {}

  request(): void {
    if (this.timer !== undefined) return
    const delay = Math.max(0, this.last + this.intervalMs - this.clock.now())
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined
      this.last = this.clock.now()
      this.action()
    }, delay)
  }

  /** Runs the action now; a run scheduled meanwhile is dropped (this one covers it). */
  flush(): void {
    this.cancel()
    this.last = this.clock.now()
    this.action()
  }

  /** Forgets when the action last ran, so that the next request runs at once. */
  reset(): void {
    this.last = Number.NEGATIVE_INFINITY
    if (this.timer === undefined) return
    this.clock.clearTimeout(this.timer)
    this.timer = undefined
    this.request()
  }

  cancel(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer)
    this.timer = undefined
  }
}
