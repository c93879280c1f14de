// A virtual clock and borrowers that live on it, so that random delays, joins and leaves run in
// milliseconds of real time and replay exactly from a fast-check seed.
import type { Job, Outcome } from '@pando/protocol'
import type { EndOrError, Source, SourceCallback } from 'pull-stream'
import type { LenderClock, SubStream } from '../src/index.ts'
import { guarded } from './util.ts'

interface Timer {
  readonly at: number
  readonly order: number
  readonly run: () => void
  cancelled: boolean
}

/** Runs callbacks in virtual time order (then in scheduling order); `run` stops when none is left. */
export class VirtualClock {
  now = 0
  private timers: Timer[] = []
  private order = 0

  /** Timers scheduled and neither run nor cancelled. */
  get pending(): number {
    return this.timers.filter((timer) => !timer.cancelled).length
  }

  at(delay: number, run: () => void): Timer {
    const timer = { at: this.now + delay, order: this.order++, run, cancelled: false }
    const timers = this.timers
    let i = timers.length
    timers.push(timer)
    // Insertion from the end: timers are mostly scheduled in order.
    while (i > 0 && before(timer, timers[i - 1] as Timer)) {
      timers[i] = timers[i - 1] as Timer
      i--
    }
    timers[i] = timer
    return timer
  }

  cancel(timer: Timer): void {
    timer.cancelled = true
  }

  /** Runs the timers due within `ms`, in order, then sets the time `ms` later. */
  advance(ms: number): void {
    const until = this.now + ms
    while (this.timers.length > 0 && (this.timers[0] as Timer).at <= until) this.step()
    this.now = until
  }

  /** This clock as the lender sees it. */
  lenderClock(): LenderClock {
    return {
      now: () => this.now,
      setTimeout: (callback, ms) => this.at(ms, callback),
      clearTimeout: (handle) => this.cancel(handle as Timer),
    }
  }

  private step(): void {
    const timer = this.timers.shift() as Timer
    this.now = timer.at
    if (!timer.cancelled) timer.run()
  }

  /** Runs every timer; throws if more than `limit` ran (a run that would not end). */
  run(limit = 1_000_000): void {
    for (let steps = 0; this.timers.length > 0; steps++) {
      if (steps > limit) throw new Error(`virtual clock: more than ${String(limit)} steps`)
      this.step()
    }
  }
}

const before = (a: Timer, b: Timer): boolean => a.at < b.at || (a.at === b.at && a.order < b.order)

/** A source of jobs that answers each read after a delay on the clock (0: synchronously). */
export function clockSource(clock: VirtualClock, items: Job[], delay: (i: number) => number): Source<Job> {
  let next = 0
  return guarded((abort, cb) => {
    if (abort) return cb(abort)
    const answer = (): void => (next < items.length ? cb(null, items[next++]) : cb(true))
    const ms = delay(next)
    if (ms === 0) answer()
    else clock.at(ms, answer)
  })
}

export type LeaveHow = 'sink-end' | 'sink-error' | 'close' | 'abort-source' | 'abort-source-error'

export interface BorrowerSpec {
  /** Virtual milliseconds to process this job; `Infinity`: it never answers (until it leaves). */
  readonly delay: (j: Job) => number
  /** The outcome, computed when it is handed to the lender. */
  readonly compute: (j: Job, sub: SubStream) => Outcome
  /** Leaves once it has answered this many jobs (0: before answering any). */
  readonly leaveAfter?: number
  readonly leaveHow?: LeaveHow
  /** Leaves this many virtual ms after it joined, whatever it holds. */
  readonly leaveAt?: number
  /** Sends every outcome twice and one outcome for an id it never got. */
  readonly duplicate?: boolean
  /** Called with every batch it gets, as it gets it. */
  readonly onBatch?: (batch: Job[]) => void
}

/**
 * A borrower on the virtual clock: reads batches as fast as its credit allows, finishes each job after its
 * delay, hands what finished at the same instant to the lender as one batch, and may leave on the way.
 */
export class SimBorrower {
  /** Every job it was given. */
  readonly seen: Job[] = []
  answered = 0
  left = false
  private readonly done: Job[] = []
  private flushing = false
  /** Left by aborting its source: finishes what it holds, then ends its sink. */
  private graceful = false
  private sinkRead: SourceCallback<Outcome[]> | undefined
  private sinkEnd: EndOrError = null

  constructor(
    private readonly clock: VirtualClock,
    private readonly sub: SubStream,
    private readonly spec: BorrowerSpec,
  ) {
    sub.sink((abort, cb) => this.readOutcomes(abort, cb))
    if (spec.leaveAfter === 0) this.leave()
    if (!this.left && !this.graceful) this.read()
    if (spec.leaveAt !== undefined) clock.at(spec.leaveAt, () => this.leaveOnce())
  }

  private read(): void {
    this.sub.source(null, (end, batch) => {
      if (end || this.left) return
      this.spec.onBatch?.(batch ?? [])
      for (const j of batch ?? []) {
        this.seen.push(j)
        const delay = this.spec.delay(j)
        if (delay !== Infinity) this.clock.at(delay, () => this.finish(j))
      }
      this.read()
    })
  }

  private finish(j: Job): void {
    if (this.left) return
    this.done.push(j)
    if (this.flushing) return
    this.flushing = true
    this.clock.at(0, () => this.deliver())
  }

  private readOutcomes(abort: EndOrError, cb: SourceCallback<Outcome[]>): void {
    if (abort) return cb(abort)
    if (this.sinkEnd) return cb(this.sinkEnd)
    this.sinkRead = cb
    if (this.done.length > 0 && !this.flushing) this.deliver()
  }

  private deliver(): void {
    this.flushing = false
    const cb = this.sinkRead
    if (this.left || cb === undefined || this.done.length === 0) return
    const batch = this.done.splice(0).map((j) => this.spec.compute(j, this.sub))
    this.answered += batch.length
    this.sinkRead = undefined
    cb(
      null,
      this.spec.duplicate === true ? [...batch, ...batch, { id: -1, ok: true, result: 'stray' }] : batch,
    )
    if (this.graceful) {
      if (this.sub.held === 0) this.endSink(true)
    } else if (this.spec.leaveAfter !== undefined && this.answered >= this.spec.leaveAfter) this.leave()
  }

  private leaveOnce(): void {
    if (!this.left && !this.graceful) this.leave()
  }

  private leave(): void {
    const how = this.spec.leaveHow ?? 'sink-end'
    if (how === 'abort-source') return this.leaveGracefully()
    this.left = true
    if (how === 'close') this.sub.close(new Error('missed heartbeat'))
    else if (how === 'abort-source-error') this.sub.source(new Error('channel failed'), () => {})
    else this.endSink(how === 'sink-end' ? true : new Error('borrower crashed'))
  }

  private leaveGracefully(): void {
    this.graceful = true
    this.sub.source(true, () => {})
    if (this.sub.held === 0) this.endSink(true)
  }

  private endSink(end: EndOrError): void {
    this.left = true
    this.sinkEnd = end
    const cb = this.sinkRead
    this.sinkRead = undefined
    cb?.(end)
  }
}

export function simBorrower(clock: VirtualClock, sub: SubStream, spec: BorrowerSpec): SimBorrower {
  return new SimBorrower(clock, sub, spec)
}
