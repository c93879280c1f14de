import type { Job, Outcome } from '@pando/protocol'
import { DutyCycleMeter, restAfter } from './duty-cycle.ts'
import { takeFromBack } from './take-from-back.ts'
import type { WorkerFigures } from './worker-figures.ts'

/** One Worker's runner as the pool drives it (a `WorkerQueue`, or a stand-in in tests). */
export interface LaneRunner {
  /** Queues jobs; the lane runs them as one batch. */
  add(jobs: readonly Job[]): void
  /** Ends the runner: its Worker is terminated. Idempotent. */
  close(): void
  /** Jobs it holds: queued or running. */
  readonly held: number
}

/** What a lane's runner tells the pool (the `WorkerQueueEvents` a `WorkerQueue` takes, in part). */
export interface LaneEvents {
  /** Outcomes, with the Worker's own time per item once a batch is over (see `WorkerQueue`). */
  onOutcomes: (outcomes: Outcome[], msPerItem?: number) => void
  /** The runner started work (`true`) or has nothing left (`false`). */
  onBusy: (busy: boolean) => void
  /** Its Worker's figures after a batch: `itemTime` is how long the batch kept it busy. */
  onFigures: (figures: WorkerFigures) => void
}

/** The pool's timers, injectable for tests. */
export interface PoolClock {
  now(): number
  setTimeout(callback: () => void, ms: number): unknown
  clearTimeout(timer: unknown): void
}

const systemPoolClock: PoolClock = {
  now: () => performance.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (timer) => clearTimeout(timer as ReturnType<typeof setTimeout>),
}

export interface WorkerPoolOptions {
  /** Workers at first (see `resize`). */
  readonly workers: number
  /** CPU use at first, in percent (see `setCpuLimit`). @default 100 */
  readonly cpuLimit?: number
  /** Whether it starts paused. @default false */
  readonly paused?: boolean
}

export interface WorkerPoolComponents {
  /** Starts the runner of a new lane (its Worker and module), which tells `events` what it does. */
  readonly createLane: (events: LaneEvents, index: number) => LaneRunner
  /** Outcomes of every lane, each once, as they come, with a lane's time per item after its batch. */
  readonly onOutcomes: (outcomes: Outcome[], msPerItem?: number) => void
  /**
   * Takes the jobs a pause hands back (queued, not started): the tab gives them to whoever lent them (a
   * `return` message). Without it they wait in the queue until `resume`.
   */
  readonly onHandBack?: (jobs: Job[]) => void
  /** Some Worker works (`true`), or none does (`false`). */
  readonly onBusy?: (busy: boolean) => void
  /** A Worker's figures after a batch. */
  readonly onFigures?: (figures: WorkerFigures) => void
  /** @default `performance.now` and the platform's timers */
  readonly clock?: PoolClock
}

/** A Worker of the pool, and where it is in its duty cycle. */
interface Lane {
  readonly runner: LaneRunner
  /** Running a share of the queue. */
  busy: boolean
  /** Ms its current batch kept its Worker busy, from its figures. */
  busyMs: number
  /** Its rest's timer and start, while it rests after a batch. */
  rest: { readonly timer: unknown; readonly since: number } | undefined
  /** Taken out by `resize`: it gets no more work, and ends once idle. */
  retiring: boolean
}

/**
 * The tab's Workers: N lanes, each a runner with its own Worker and the user's module, fed from one queue of
 * the jobs lent to the tab. A free lane takes its share of the queue (the queue divided by the lanes, at
 * least one job) as one batch, so that the lanes share what the tab holds and a batch of slow items spreads
 * over every core. A lane takes its next batch when its Worker's reply reaches the page: a message each way
 * between the page and the Worker, not a round trip to the lender, as the tab already holds its next batches
 * (two per Worker). It is not handed to a Worker ahead of time: a Worker starts every job it is given at
 * once (so that async items overlap), so jobs given early would count as started for the item deadline and
 * the Worker's own time per item, could not be recalled for an idle volunteer, and could not go to the
 * other lane that frees first.
 *
 * The volunteer stays in control: under a CPU-use setting below 100 %, a lane whose batch kept its Worker
 * busy t ms rests `t · (100 / p − 1)` ms before its next (`restAfter`); while paused no lane starts a batch
 * (those running finish) and the queue waits (see `handBackUnstarted`). `resize` adds lanes at once and
 * retires others as they finish.
 */
export class WorkerPool {
  readonly #components: WorkerPoolComponents
  readonly #clock: PoolClock
  readonly #queue: Job[] = []
  readonly #lanes: Lane[] = []
  readonly #duty = new DutyCycleMeter()
  #cpuLimit: number
  #paused: boolean
  #busy = false
  #closed = false
  #lanesMade = 0

  constructor(options: WorkerPoolOptions, components: WorkerPoolComponents) {
    this.#components = components
    this.#clock = components.clock ?? systemPoolClock
    this.#cpuLimit = options.cpuLimit ?? 100
    this.#paused = options.paused ?? false
    this.resize(options.workers)
  }

  /** Jobs the tab holds: queued, and in its Workers. */
  get held(): number {
    let held = this.#queue.length
    for (const lane of this.#lanes) held += lane.runner.held
    return held
  }

  /** Workers it runs (those retiring, which finish their batch and end, not counted). */
  get workers(): number {
    return this.#lanes.filter((lane) => !lane.retiring).length
  }

  get paused(): boolean {
    return this.#paused
  }

  get cpuLimit(): number {
    return this.#cpuLimit
  }

  /** The Workers' busy time and rests so far (see `DutyCycleMeter`). */
  get dutyCycle(): DutyCycleMeter {
    return this.#duty
  }

  /**
   * Queues jobs lent to the tab. While paused, with `onHandBack`, they go straight back (lent before the
   * lender heard of the pause).
   */
  add(jobs: readonly Job[]): void {
    if (this.#closed) return
    this.#queue.push(...jobs)
    if (this.#paused) this.handBackUnstarted()
    this.#feed()
  }

  /** Runs `workers` Workers: new lanes start now, surplus ones (idle first) end once their batch is done. */
  resize(workers: number): void {
    if (this.#closed) return
    const wanted = Math.max(1, Math.floor(workers))
    const active = this.#lanes.filter((lane) => !lane.retiring)
    for (let count = active.length; count < wanted; count++) this.#lanes.push(this.#newLane())
    const surplus = active.length - wanted
    if (surplus > 0) {
      // Idle lanes go first: a running batch is not cut short.
      const retiring = [...active].sort((a, b) => Number(a.busy) - Number(b.busy)).slice(0, surplus)
      for (const lane of retiring) {
        lane.retiring = true
        if (!lane.busy) this.#end(lane)
      }
    }
    this.#feed()
  }

  /** Sets the CPU use, in percent: from each lane's next rest on. */
  setCpuLimit(cpuLimit: number): void {
    this.#cpuLimit = cpuLimit
  }

  /** No batch starts until `resume`; batches running finish. Held jobs are handed back where it can. */
  pause(): void {
    if (this.#paused || this.#closed) return
    this.#paused = true
    this.handBackUnstarted()
  }

  resume(): void {
    if (!this.#paused || this.#closed) return
    this.#paused = false
    this.#feed()
  }

  /**
   * Takes up to `count` queued jobs no Worker started, the last queued first (those it would run next stay),
   * for the lender to lend elsewhere (a `recall`). Batches a lane runs are started: they are not taken.
   */
  recall(count: number): Job[] {
    return takeFromBack(this.#queue, count)
  }

  /**
   * What a pause does with the jobs lent to the tab that no Worker started: they go to `onHandBack`, for
   * the tab to give back to whoever lent them, so that others run them at once. Without `onHandBack` they
   * wait in the queue until `resume`.
   */
  handBackUnstarted(): void {
    const handBack = this.#components.onHandBack
    if (handBack !== undefined && this.#queue.length > 0) handBack(this.#queue.splice(0))
  }

  /** Ends every Worker; queued jobs are dropped. Idempotent. */
  close(): void {
    if (this.#closed) return
    this.#closed = true
    this.#queue.length = 0
    for (const lane of this.#lanes.splice(0)) {
      if (lane.rest !== undefined) this.#clock.clearTimeout(lane.rest.timer)
      lane.runner.close()
    }
  }

  #newLane(): Lane {
    const index = this.#lanesMade++
    let lane: Lane | undefined
    const runner = this.#components.createLane(
      {
        onOutcomes: (outcomes, msPerItem) => {
          if (!this.#closed) this.#components.onOutcomes(outcomes, msPerItem)
        },
        onBusy: (busy) => {
          // The runner's own loop ends in the same turn: the lane is fed from the next one.
          if (!busy && lane !== undefined) queueMicrotask(() => this.#batchDone(lane as Lane))
        },
        onFigures: (figures) => {
          if (lane !== undefined) lane.busyMs += figures.itemTime
          if (!this.#closed) this.#components.onFigures?.(figures)
        },
      },
      index,
    )
    lane = { runner, busy: false, busyMs: 0, rest: undefined, retiring: false }
    return lane
  }

  #batchDone(lane: Lane): void {
    if (this.#closed || !lane.busy) return
    lane.busy = false
    const busyMs = lane.busyMs
    lane.busyMs = 0
    this.#duty.busy(busyMs)
    if (lane.retiring) this.#end(lane)
    else {
      const restMs = restAfter(busyMs, this.#cpuLimit)
      if (restMs > 0) {
        const since = this.#clock.now()
        const timer = this.#clock.setTimeout(() => {
          lane.rest = undefined
          this.#duty.rested(this.#clock.now() - since)
          this.#feed()
        }, restMs)
        lane.rest = { timer, since }
      }
    }
    this.#feed()
  }

  #end(lane: Lane): void {
    const at = this.#lanes.indexOf(lane)
    if (at >= 0) this.#lanes.splice(at, 1)
    if (lane.rest !== undefined) this.#clock.clearTimeout(lane.rest.timer)
    lane.runner.close()
  }

  /** Gives each free lane its share of the queue, unless paused. */
  #feed(): void {
    if (this.#closed) return
    if (!this.#paused) {
      const share = Math.max(1, Math.ceil(this.#queue.length / this.workers))
      for (const lane of this.#lanes) {
        if (this.#queue.length === 0) break
        if (lane.busy || lane.retiring || lane.rest !== undefined) continue
        lane.busy = true
        lane.runner.add(this.#queue.splice(0, share))
      }
    }
    this.#showBusy()
  }

  #showBusy(): void {
    const busy = this.#lanes.some((lane) => lane.busy)
    if (busy === this.#busy) return
    this.#busy = busy
    this.#components.onBusy?.(busy)
  }
}
