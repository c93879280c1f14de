import type { Job, Outcome } from '@pando/protocol'
import type { Abort, EndOrError, Sink, Source, SourceCallback } from 'pull-stream'
import type { Item } from './item.ts'
import { checkCredit } from './options.ts'
import type { SubStream } from './types.ts'
import { StreamMisuseError } from './errors.ts'

/** What a sub-stream tells its lender. */
export interface SubStreamHost {
  /** Its source has a read waiting for jobs. */
  wantJobs(sub: LentSubStream): void
  /** A batch of outcomes came in on its sink (also after it closed: they are then all ignored). */
  outcomes(sub: LentSubStream, outcomes: readonly Outcome[]): void
  /** Its credit changed or it stopped accepting jobs, which may let the lender lend elsewhere. */
  changed(sub: LentSubStream): void
  /** It closed while holding `held`, to be lent again. */
  closed(sub: LentSubStream, held: Item[]): void
  /** It gave back the items of these ids, unstarted; returns how many it held. */
  givenBack(sub: LentSubStream, ids: readonly number[]): number
}

const ignore = (): void => {}

/**
 * One borrower's side of the lender: the jobs it holds (by id), its credit, its waiting read, and the loop
 * that reads its outcomes. The lender decides what to lend; this class only keeps the books.
 */
export class LentSubStream implements SubStream {
  readonly source: Source<Job[]>
  readonly sink: Sink<Outcome[]>
  /** The items lent to it and not yet answered, by job id. */
  readonly holding = new Map<number, Item>()
  /** False once the borrower aborted the source: it finishes what it holds but gets no more. */
  accepting = true
  /** True once its source was read: a borrower is attached, not just announced. */
  started = false
  /**
   * Items it holds that were settled through another holder (it lost a speculative race and has not
   * answered yet): they take its credit, yet it is not computing anything the run waits for.
   */
  settledElsewhere = 0
  /** Its accepted outcomes: successes, and failures of the user's function (its record, see `suspect`). */
  succeeded = 0
  failed = 0
  /** Items it failed that then succeeded elsewhere: failures that were its own, not the items'. */
  disproved = 0
  /** Dropped for failing far more than the others: its failures no longer count against any item. */
  discredited = false
  closed = false
  /**
   * A recall was sent and no outcome came since: no other is sent meanwhile. A give-back alone does not end
   * it: what it gave back goes back to it when no idle borrower may take it (a copy's placement, SPEC 53),
   * and a recall at each give-back would then go round for ever (synchronously, for a tab's own Workers).
   */
  recalling = false
  private creditLimit: number
  private pendingRead: SourceCallback<Job[]> | undefined
  /** What its source ends with once closed: `true`, or the reason given to `close`. */
  private endWith: EndOrError = true
  private upstream: Source<Outcome[]> | undefined
  private upstreamDone = false
  private inLoop = false
  private again = false

  constructor(
    private readonly host: SubStreamHost,
    readonly name: string,
    credit: number,
    private readonly onDropped?: (reason: Error) => void,
    /** Asks the borrower to give back unstarted items (`LendStreamOptions.onRecall`). */
    readonly onRecall?: (count: number) => void,
  ) {
    checkCredit(credit)
    this.creditLimit = credit
    this.source = (abort, cb) => this.read(abort, cb)
    this.sink = (read) => this.connect(read)
  }

  /** It has failed more items than it computed: a failed item goes to another first, when one can take it. */
  get suspect(): boolean {
    return this.failed > this.succeeded
  }

  /** It has computed an item: a straggler's copy goes to such a sub-stream first, when one can take it. */
  get proven(): boolean {
    return this.succeeded > 0
  }

  get held(): number {
    return this.holding.size
  }

  get credit(): number {
    return this.creditLimit
  }

  /** Whether its source has a read waiting for jobs. */
  get wantsJobs(): boolean {
    return this.pendingRead !== undefined
  }

  /** How many more jobs it may take now. */
  get free(): number {
    return this.creditLimit - this.holding.size
  }

  setCredit(credit: number): void {
    checkCredit(credit)
    this.creditLimit = credit
    if (!this.closed) this.host.changed(this)
  }

  tabsChanged(): void {
    if (!this.closed) this.host.changed(this)
  }

  close(reason?: Error): void {
    this.closeWith(reason ?? true)
  }

  giveBack(ids: readonly number[]): number {
    return this.host.givenBack(this, ids)
  }

  /** The lender drops it: closed with `reason`, and its owner told. */
  drop(reason: Error): void {
    if (this.closed) return
    this.closeWith(reason)
    this.onDropped?.(reason)
  }

  /** Closes it without giving anything back: the lender has nothing more to lend (or gave up). */
  finish(): void {
    if (this.closed) return
    this.holding.clear()
    this.shut(true)?.(true)
  }

  /** Answers the waiting read with these items, which it now holds. */
  give(items: readonly Item[]): void {
    const jobs = new Array<Job>(items.length)
    for (let i = 0; i < items.length; i++) {
      const item = items[i] as Item
      this.holding.set(item.job.id, item)
      jobs[i] = item.job
    }
    const cb = this.pendingRead as SourceCallback<Job[]>
    this.pendingRead = undefined
    cb(null, jobs)
  }

  /** Removes the item for this id from its holding, if it held it. */
  release(id: number): Item | undefined {
    const item = this.holding.get(id)
    if (item !== undefined) this.holding.delete(id)
    return item
  }

  /**
   * Closes it, gives what it held back to the lender and ends its source with `end`: the reason given to
   * `close()`, or `true` when the borrower itself failed (it already knows).
   */
  private closeWith(end: true | Error): void {
    if (this.closed) return
    const held = [...this.holding.values()]
    this.holding.clear()
    const waiting = this.shut(end)
    this.host.closed(this, held)
    waiting?.(end)
  }

  /** Marks it closed and returns the read that was waiting, for the caller to end. */
  private shut(end: true | Error): SourceCallback<Job[]> | undefined {
    this.closed = true
    this.accepting = false
    this.endWith = end
    const waiting = this.pendingRead
    this.pendingRead = undefined
    return waiting
  }

  private read(abort: Abort, cb: SourceCallback<Job[]>): void {
    if (abort) return this.abortSource(abort, cb)
    if (this.closed || !this.accepting) return cb(this.closed ? this.endWith : true)
    if (this.pendingRead !== undefined)
      throw new StreamMisuseError(`${this.name}: source read before its last callback`)
    this.started = true
    this.pendingRead = cb
    this.host.wantJobs(this)
  }

  /** `read(true)`: it takes no more jobs but may still answer; `read(error)`: the borrower failed. */
  private abortSource(abort: true | Error, cb: SourceCallback<Job[]>): void {
    if (abort instanceof Error) this.closeWith(true)
    else if (this.accepting) {
      this.accepting = false
      const waiting = this.pendingRead
      this.pendingRead = undefined
      waiting?.(true)
      this.host.changed(this)
    }
    cb(abort)
  }

  private connect(upstream: Source<Outcome[]>): void {
    if (this.upstream !== undefined) throw new StreamMisuseError(`${this.name}: sink already connected`)
    this.upstream = upstream
    this.loop()
  }

  /** Reads outcomes until the upstream ends; loops instead of recursing when it answers synchronously. */
  private loop(): void {
    const upstream = this.upstream as Source<Outcome[]>
    do {
      this.again = false
      if (this.closed) return this.abortUpstream()
      this.inLoop = true
      upstream(null, this.onOutcomes)
      this.inLoop = false
    } while (this.again)
  }

  private readonly onOutcomes = (end: EndOrError, outcomes?: Outcome[]): void => {
    if (end) {
      this.upstreamDone = true
      return this.closeWith(true)
    }
    this.recalling = false
    this.host.outcomes(this, outcomes ?? [])
    if (this.inLoop) this.again = true
    else this.loop()
  }

  /** Closed while the borrower still sends: tell its upstream to stop. */
  private abortUpstream(): void {
    if (this.upstreamDone) return
    this.upstreamDone = true
    ;(this.upstream as Source<Outcome[]>)(this.endWith, ignore)
  }
}
