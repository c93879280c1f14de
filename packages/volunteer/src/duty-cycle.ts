/**
 * The rest a Worker takes after work that kept it busy `busyMs`, under a CPU-use setting of `cpuLimit`
 * percent: `busyMs · (100 / cpuLimit − 1)`, so that over a run it computes `cpuLimit` % of the time (a
 * duty cycle, as Seattle and BOINC throttle). Nothing at 100 % (or above), nor after no work.
 */
export function restAfter(busyMs: number, cpuLimit: number): number {
  if (!(busyMs > 0) || !(cpuLimit > 0) || cpuLimit >= 100) return 0
  return busyMs * (100 / cpuLimit - 1)
}

/**
 * The duty cycle a tab's Workers kept, summed over Workers: the time they computed and the time they
 * rested (as the rest timers measured it, late timers included). `share` is what the page and its bench
 * show: the busy part of the time they either computed or rested.
 */
export class DutyCycleMeter {
  #busyMs = 0
  #restMs = 0

  /** A Worker computed `busyMs`. */
  busy(busyMs: number): void {
    if (busyMs > 0) this.#busyMs += busyMs
  }

  /** A Worker rested `restMs`. */
  rested(restMs: number): void {
    if (restMs > 0) this.#restMs += restMs
  }

  /** The busy share of the time computed or rested, in percent; 100 before any rest (nothing throttled). */
  get share(): number {
    const total = this.#busyMs + this.#restMs
    return total > 0 ? (this.#busyMs * 100) / total : 100
  }

  get busyMs(): number {
    return this.#busyMs
  }

  get restMs(): number {
    return this.#restMs
  }
}
