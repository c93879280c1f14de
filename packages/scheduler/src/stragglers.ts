import { unref, type LenderClock, type TimerHandle } from './clock.ts'
import { DURATION_REFRESH, DURATION_SAMPLES, MAX_TIMER_DELAY_MS, SPECULATE_PERCENTILE } from './constants.ts'

export interface StragglerOptions {
  readonly multiple: number
  readonly floorMs: number
  readonly ceilingMs: number
  readonly clock: LenderClock
}

/**
 * What speculation needs besides the lender's books: the recent lend→success times (a bounded ring, each
 * with the sub-stream it came from), the threshold they give, and one pending check. The lender says by when the head must be checked (`checkBy`);
 * a check armed for an earlier time is kept, and when it runs `onCheck` looks at the head of that moment.
 * Checks are not armed per item: one pending at most, replaced only by an earlier one.
 */
export class Stragglers {
  private readonly durations = new Float64Array(DURATION_SAMPLES)
  private readonly owners = new Array<object | undefined>(DURATION_SAMPLES)
  private count = 0
  private next = 0
  /** Samples recorded since the threshold was last computed. */
  private added = 0
  private cached: number
  private timer: TimerHandle | undefined
  private timerDue = 0
  private stopped = false

  constructor(
    private readonly options: StragglerOptions,
    private readonly onCheck: () => void,
  ) {
    this.cached = options.ceilingMs
  }

  now(): number {
    return this.options.clock.now()
  }

  /** Records how long a successful lending took, in ms, and the borrower it took (one key per borrower). */
  record(ms: number, owner: object): void {
    this.durations[this.next] = ms
    this.owners[this.next] = owner
    this.next = (this.next + 1) % DURATION_SAMPLES
    if (this.count < DURATION_SAMPLES) this.count++
    this.added++
  }

  /**
   * How long, in ms, the head item may stay lent before it is lent a second time: the multiple of the
   * recent p95 (`robustPercentile`: no one borrower can raise it), between the floor and the ceiling; the
   * ceiling while nothing has succeeded yet.
   */
  threshold(): number {
    if (this.added > 0 && (this.count <= DURATION_REFRESH || this.added >= DURATION_REFRESH)) {
      this.added = 0
      const { multiple, floorMs, ceilingMs } = this.options
      const p95 = robustPercentile(this.durations.subarray(0, this.count), this.owners, SPECULATE_PERCENTILE)
      this.cached = Math.min(ceilingMs, Math.max(floorMs, multiple * p95))
    }
    return this.cached
  }

  /** Makes sure a check runs by `due` (clock time), unless one already will. */
  checkBy(due: number): void {
    if (this.stopped) return
    if (this.timer !== undefined) {
      if (this.timerDue <= due) return
      this.options.clock.clearTimeout(this.timer)
    }
    const now = this.now()
    const delay = Math.min(Math.max(due - now, 0), MAX_TIMER_DELAY_MS)
    this.timerDue = now + delay
    this.timer = this.options.clock.setTimeout(this.fire, delay)
    unref(this.timer)
  }

  /** Clears the pending check for good: lending or the output is over. */
  stop(): void {
    this.stopped = true
    if (this.timer === undefined) return
    this.options.clock.clearTimeout(this.timer)
    this.timer = undefined
  }

  /** Whether a check is pending (for tests). */
  get armed(): boolean {
    return this.timer !== undefined
  }

  private readonly fire = (): void => {
    this.timer = undefined
    if (!this.stopped) this.onCheck()
  }
}

/** The nearest-rank `percentile` (0–1) of `values`, sorted in place. */
function nearestRank(values: Float64Array, percentile: number): number {
  values.sort()
  return values[Math.max(0, Math.ceil(percentile * values.length) - 1)] as number
}

/**
 * The `percentile` of `durations` that no one owner can raise: each owner's own percentile (nearest rank, of
 * its samples), then the lower median of those across owners. A borrower that is fast and then late (or
 * lies about its times by answering late on purpose) moves only its own value, and the lower median ignores
 * any one value above the others': with two owners it is the smaller, with one it is that owner's.
 * `owners[i]` is the owner of `durations[i]`.
 */
export function robustPercentile(
  durations: Float64Array,
  owners: readonly (object | undefined)[],
  percentile: number,
): number {
  const byOwner = new Map<object | undefined, number[]>()
  for (let i = 0; i < durations.length; i++) {
    const owner = owners[i]
    const samples = byOwner.get(owner)
    if (samples === undefined) byOwner.set(owner, [durations[i] as number])
    else samples.push(durations[i] as number)
  }
  const perOwner = new Float64Array(byOwner.size)
  let i = 0
  for (const samples of byOwner.values()) perOwner[i++] = nearestRank(Float64Array.from(samples), percentile)
  perOwner.sort()
  return perOwner[Math.floor((perOwner.length - 1) / 2)] as number
}
