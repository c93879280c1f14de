import {
  RESULT_TOO_LARGE_ERROR,
  jsonStringLength,
  transportLimitError,
  type Job,
  type Outcome,
  type SerializedError,
} from '@pando/protocol'
import type { Abort, EndOrError, Source, SourceCallback } from 'pull-stream'
import { DEFAULT_CREDIT, DISCREDIT_AFTER_DISPROVED } from './constants.ts'
import { Deque } from './deque.ts'
import { InputReader } from './input.ts'
import { hold, newItem, unhold, type Item } from './item.ts'
import { resolveOptions, type ResolvedOptions } from './options.ts'
import { RelendQueue } from './relend-queue.ts'
import { ArrivalQueue, ReorderWindow, type Outbox } from './reorder-window.ts'
import { Stragglers } from './stragglers.ts'
import { idleWaiting, pickRecall } from './stealing.ts'
import { LentSubStream, type SubStreamHost } from './sub-stream.ts'
import { DiscreditedError, StreamMisuseError } from './errors.ts'
import type { Lender, LenderOptions, LenderState, LendStreamOptions, Settled, SubStream } from './types.ts'

/**
 * Creates a lender: a duplex pull-stream that lends the jobs it reads to sub-streams and emits what they
 * settle. See SPEC.md for the rules it keeps.
 */
export function createLender(options: LenderOptions = {}): Lender {
  const lending = new Lending(resolveOptions(options))
  return {
    sink: (source) => lending.connect(source),
    source: (abort, cb) => lending.readOutput(abort, cb),
    lendStream: (streamOptions) => lending.lendStream(streamOptions),
    state: () => lending.state(),
    withdraw: (max) => lending.withdraw(max),
  }
}

/**
 * The lender's state and its one loop, `drive`: every event (a borrower reads, outcomes come in, the output
 * is read, the input answers late, a sub-stream closes) updates the books and calls `drive`, which lends,
 * emits and ends until nothing more can happen now. `drive` never re-enters itself: an event raised from a
 * callback it made only marks it dirty, so synchronous pipelines run in a loop, not a growing stack.
 */
class Lending implements SubStreamHost {
  readonly input = new InputReader((job) => this.lateAnswer(job))
  private readonly outbox: Outbox<Settled>
  private readonly relend = new RelendQueue()
  /** Items the input answered late, after the read that asked for them had been served otherwise. */
  private readonly fresh = new Deque<Item>()
  private readonly open = new Set<LentSubStream>()
  /** Open sub-streams with a source read waiting. */
  private readonly waiting = new Set<LentSubStream>()
  private outputWaiting: SourceCallback<Settled> | undefined
  /** What the output ended with, once it has. */
  private outputEnd: EndOrError = null
  /** Nothing will be lent any more: every sub-stream is closed, and new ones are born closed. */
  private lendingOver = false
  private driving = false
  private dirty = false
  private subStreamCount = 0
  /** Characters of the results settled and not yet emitted (see `windowChars`). */
  private heldChars = 0
  private counts = {
    read: 0,
    emitted: 0,
    withdrawn: 0,
    lent: 0,
    relent: 0,
    ignored: 0,
    failures: 0,
    speculated: 0,
  }
  /** Lend→success times and the pending straggler check; only when speculating. */
  private readonly stragglers: Stragglers | undefined
  /** Items read and not yet emitted, in read order, when speculating: the first is the reorder head. */
  private readonly unemitted = new Deque<Item>()
  /** The straggling head, to lend again to the first waiting sub-stream that may take it, before all else. */
  private copyDue: Item | undefined

  constructor(private readonly options: ResolvedOptions) {
    this.outbox = options.ordered ? new ReorderWindow<Settled>() : new ArrivalQueue<Settled>()
    this.stragglers = options.speculate
      ? new Stragglers(
          {
            multiple: options.speculateMultiple,
            floorMs: options.speculateFloorMs,
            ceilingMs: options.speculateCeilingMs,
            clock: options.clock,
          },
          () => this.checkHead(),
        )
      : undefined
  }

  lendStream(options: LendStreamOptions = {}): SubStream {
    const name = options.name ?? `sub-stream ${String(++this.subStreamCount)}`
    const sub = new LentSubStream(
      this,
      name,
      options.credit ?? DEFAULT_CREDIT,
      options.onDropped,
      options.onRecall,
    )
    if (this.lendingOver) sub.finish()
    else this.open.add(sub)
    return sub
  }

  connect(source: Source<Job>): void {
    this.input.connect(source)
    this.drive()
  }

  state(): LenderState {
    const { read, emitted, withdrawn, lent, relent, ignored, failures, speculated } = this.counts
    return {
      read,
      emitted,
      pending: read - emitted - withdrawn,
      withdrawn,
      relendQueue: this.relend.size,
      lent,
      subStreams: this.open.size,
      relent,
      ignored,
      failures,
      speculated,
      inputEnded: this.input.ended,
    }
  }

  /** See `Lender.withdraw` (SPEC 48b). */
  withdraw(max = Number.POSITIVE_INFINITY): Job[] {
    if (this.options.ordered)
      throw new StreamMisuseError('an ordered lender cannot withdraw items: its output waits for them')
    const items: Item[] = []
    if (this.lendingOver || !(max > 0)) return []
    this.relend.take(max, items, () => false)
    while (items.length < max && this.fresh.size > 0) items.push(this.fresh.shift() as Item)
    this.counts.withdrawn += items.length
    // The window has room again, and an input that ended may now be over.
    if (items.length > 0) this.drive()
    return items.map((item) => item.job)
  }

  /** Items read and neither emitted nor withdrawn. */
  private get pendingCount(): number {
    return this.counts.read - this.counts.emitted - this.counts.withdrawn
  }

  readOutput(abort: Abort, cb: SourceCallback<Settled>): void {
    if (abort) return this.abortOutput(abort, cb)
    if (this.outputEnd !== null) return cb(this.outputEnd)
    if (this.outputWaiting !== undefined)
      throw new StreamMisuseError('lender source read before its last callback')
    this.outputWaiting = cb
    this.drive()
  }

  wantJobs(sub: LentSubStream): void {
    this.waiting.add(sub)
    this.drive()
  }

  changed(): void {
    this.drive()
  }

  outcomes(sub: LentSubStream, outcomes: readonly Outcome[]): void {
    let now: number | undefined
    let discredited: LentSubStream[] | undefined
    for (const outcome of outcomes) {
      const item = sub.release(outcome.id)
      if (item === undefined) {
        this.counts.ignored++
        continue
      }
      // Settled through its other holder (this one lost a speculative race): never settle twice.
      if (item.settled) {
        sub.settledElsewhere--
        this.counts.ignored++
        continue
      }
      this.counts.lent--
      const failure = outcome.ok
        ? outcome.result.length > this.options.maxResultChars
          ? resultTooLarge(outcome.result.length, this.options.maxResultChars)
          : undefined
        : outcome.error
      const lentAt = this.letGo(item, sub, true, failure, outcome.by)
      if (failure !== undefined) this.failed(sub, item, failure, outcome.by)
      else if (outcome.ok) {
        sub.succeeded++
        if (this.stragglers !== undefined && !Number.isNaN(lentAt))
          this.stragglers.record((now ??= this.stragglers.now()) - lentAt, sub)
        const { id, value } = item.job
        this.settle(item, { id, value, ok: true, result: outcome.result, ...this.settler(sub, outcome.by) })
        if (item.failedBy !== undefined) discredited = this.disprove(item.failedBy, discredited)
      }
    }
    // Closed after the loop: closing lends again what they hold, which must not happen halfway through it.
    for (const bad of discredited ?? []) bad.drop(new DiscreditedError(bad))
    this.drive()
  }

  /**
   * The item succeeded: each sub-stream that failed it failed one item more that was not the item's fault.
   * Returns, added to `into`, those that now failed more such items than they computed (and at least
   * `DISCREDIT_AFTER_DISPROVED`): they are to be dropped, and their failures no longer count (`spent`).
   */
  private disprove(failedBy: Set<object>, into: LentSubStream[] | undefined): LentSubStream[] | undefined {
    for (const other of failedBy as Set<LentSubStream>) {
      other.disproved++
      if (other.discredited || other.closed) continue
      if (other.disproved < DISCREDIT_AFTER_DISPROVED || other.disproved <= other.succeeded) continue
      if (!this.inGoodStanding(other)) continue
      other.discredited = true
      ;(into ??= []).push(other)
    }
    return into
  }

  /**
   * Whether another open sub-stream than `sub` computes more items than it fails and failed fewer items that
   * worked elsewhere than `sub` did: `sub` then fails far more than the others, and the lender never drops
   * the last borrower in good standing (when every borrower fails alike, the items are at fault).
   */
  private inGoodStanding(sub: LentSubStream): boolean {
    for (const other of this.open) {
      if (other === sub || other.discredited || other.suspect) continue
      if (other.succeeded > 0 && other.disproved < sub.disproved) return true
    }
    return false
  }

  closed(sub: LentSubStream, held: Item[]): void {
    this.open.delete(sub)
    this.waiting.delete(sub)
    for (const item of held) {
      if (item.settled) continue // settled through its other holder: nothing to lend again
      this.counts.lent--
      this.letGo(item, sub)
      if (item.holder !== undefined) continue // its other holder still computes it
      this.counts.relent++
      this.relend.push(item)
    }
    this.drive()
  }

  /**
   * `sub` gave back these items, unstarted (48a): each it held goes to the front of the re-lend queue, unless
   * its other holder computes it or it is settled; ids it did not hold are ignored and counted.
   */
  givenBack(sub: LentSubStream, ids: readonly number[]): number {
    let held = 0
    const back: Item[] = []
    for (const id of ids) {
      const item = sub.release(id)
      if (item === undefined) {
        this.counts.ignored++
        continue
      }
      held++
      if (item.settled) {
        sub.settledElsewhere--
        continue
      }
      this.counts.lent--
      this.letGo(item, sub)
      if (item.holder === undefined) back.push(item)
    }
    // To the front, in the order given.
    for (let i = back.length - 1; i >= 0; i--) this.relend.pushFront(back[i] as Item)
    this.drive()
    return held
  }

  /**
   * `sub` no longer holds `item` (it `answered` it, with `failure` when the function failed, or closed or gave
   * it back); returns when it got it. A copy due for the item is called off.
   */
  private letGo(
    item: Item,
    sub: LentSubStream,
    answered = false,
    failure?: SerializedError,
    by?: string,
  ): number {
    if (this.copyDue === item) this.copyDue = undefined
    this.options.placement?.release(item.job, sub.name, answered, failure, by)
    return unhold(item, sub)
  }

  /** Whether `sub` takes new items, or only what waits in the re-lend queue (57). */
  private takesNew(sub: LentSubStream): boolean {
    return this.options.placement?.takesNew?.(sub.name) ?? true
  }

  /** Whether the placement (52) lets `sub` take `item`; a `true` counts `sub` as holding it there. */
  private placed(item: Item, sub: LentSubStream): boolean {
    return this.options.placement?.claim(item.job, sub.name) ?? true
  }

  /**
   * Gives the item its result, for good. A second holder keeps it until it answers (ignored) or closes
   * (nothing re-lent), but it no longer counts as lent: lending may end without waiting for it.
   */
  private settle(item: Item, settled: Settled): void {
    item.settled = true
    if (item.holder !== undefined) {
      this.counts.lent--
      ;(item.holder as LentSubStream).settledElsewhere++
    }
    if (settled.ok) this.heldChars += settled.result.length
    this.outbox.settle(item.position, settled)
  }

  /**
   * The `by` of an item `sub` settled, with the `nameSettler` option: the tab its outcome names (`by`, as
   * a tree child's outcomes do, checked by `ChildLending`), else the sub-stream.
   */
  private settler(sub: LentSubStream, by?: string): { by?: string } {
    return this.options.nameSettler ? { by: by ?? sub.name } : {}
  }

  /** The user's function failed on this item: lend it again, elsewhere if possible, or settle it failed. */
  private failed(sub: LentSubStream, item: Item, error: SerializedError, by?: string): void {
    this.counts.failures++
    sub.failed++
    item.failures++
    ;(item.failedBy ??= new Set()).add(sub)
    const spent = this.spent(item)
    if (spent > this.options.retries) {
      const { id, value } = item.job
      this.settle(item, { id, value, ok: false, error, attempts: spent, ...this.settler(sub, by) })
      return
    }
    // Still held by another sub-stream (a speculative copy's, or the first holder): that lending is the retry.
    if (item.holder === undefined) this.relend.push(item)
  }

  /**
   * The failures that count against the item's retries (45): every attempt that failed, but none from a
   * discredited sub-stream (its failures were its own), and, while a sub-stream that fails no more than it
   * computes and has not tried the item could take it, only one from all the sub-streams that have computed
   * nothing yet (a few connections that fail everything cannot spend an item's budget before an honest
   * borrower tried it). A sub-stream fails an item again only when no other could take it (21), so with
   * others around the budget counts distinct borrowers.
   */
  private spent(item: Item): number {
    let spent = item.failures
    let unproven = 0
    for (const by of (item.failedBy ?? []) as Set<LentSubStream>) {
      if (by.discredited) spent--
      else if (!by.proven) unproven++
    }
    if (unproven > 1 && this.untried(item)) spent -= unproven - 1
    return spent
  }

  /** Whether an open sub-stream that fails no more than it computes, and has not failed the item, may take it. */
  private untried(item: Item): boolean {
    for (const other of this.open) {
      if (!other.started || !other.accepting || other.suspect || other.discredited) continue
      if (item.failedBy?.has(other) !== true) return true
    }
    return false
  }

  private lateAnswer(job: Job | undefined): void {
    const item = job !== undefined && !this.lendingOver ? this.admit(job) : undefined
    if (item !== undefined) this.fresh.push(item)
    this.drive()
  }

  /**
   * Takes a job read from the input: its item, to lend, or `undefined` for one over `maxItemChars`, settled
   * at once as failed (a transport limit: no borrower could be sent it).
   */
  private admit(job: Job): Item | undefined {
    this.counts.read++
    const item = newItem(job, this.outbox.reserve())
    if (this.stragglers !== undefined) this.unemitted.push(item)
    const chars = this.options.maxItemChars === Infinity ? 0 : jsonStringLength(job.value)
    if (chars <= this.options.maxItemChars) return item
    const error = transportLimitError('item', chars, this.options.maxItemChars, 'a link to a volunteer')
    this.settle(item, { id: job.id, value: job.value, ok: false, error, attempts: 0 })
    return undefined
  }

  private drive(): void {
    if (this.driving) {
      this.dirty = true
      return
    }
    this.driving = true
    try {
      do {
        this.dirty = false
        this.lend()
        this.emit()
        this.lookAhead()
        this.end()
        this.steal()
      } while (this.dirty)
      this.watch()
    } finally {
      this.driving = false
    }
  }

  /**
   * With `lookAhead`, the output waiting and nothing read left to emit, reads one item ahead even when no
   * sub-stream asks: an input that is already over (an empty stdin) would otherwise never be noticed
   * while no borrower is connected, and the output would never end. One item at most: reading stays lazy.
   */
  private lookAhead(): void {
    if (!this.options.lookAhead) return
    if (this.outputWaiting === undefined || this.pendingCount !== 0) return
    if (this.fresh.size > 0 || this.relend.size > 0 || !this.canRead()) return
    const job = this.input.read()
    const item = job === undefined ? undefined : this.admit(job)
    if (item !== undefined) this.fresh.push(item)
  }

  /** Answers every waiting read that has free credit with all that can be given to it right now. */
  private lend(): void {
    for (const sub of this.lendOrder()) {
      if (!this.canLend()) return
      if (!sub.wantsJobs) {
        this.waiting.delete(sub) // its read was ended (source aborted)
        continue
      }
      const free = sub.free
      if (free <= 0) continue
      const items = this.collect(sub, free)
      if (items.length === 0) continue
      this.waiting.delete(sub)
      this.counts.lent += items.length
      const at = this.stragglers !== undefined && this.open.size > 1 ? this.stragglers.now() : NaN
      for (const item of items) if (hold(item, sub, at)) this.counts.speculated++
      sub.give(items)
    }
  }

  /**
   * The waiting sub-streams, idle ones (holding nothing the run waits for) first: items given back (48a) go to
   * a borrower that has nothing to do before the one that gave them back can take them again.
   */
  private lendOrder(): Iterable<LentSubStream> {
    if (this.relend.size === 0 || this.waiting.size < 2) return this.waiting
    const idle: LentSubStream[] = []
    const busy: LentSubStream[] = []
    for (const sub of this.waiting) (idleWaiting(sub) ? idle : busy).push(sub)
    return [...idle, ...busy]
  }

  private canLend(): boolean {
    return this.copyDue !== undefined || this.relend.size > 0 || this.fresh.size > 0 || this.canRead()
  }

  private canRead(): boolean {
    return (
      this.input.ready &&
      !this.lendingOver &&
      this.pendingCount < this.options.window &&
      this.heldChars < this.options.windowChars
    )
  }

  /**
   * Up to `max` items for `sub`: a straggler's copy first, then re-lends, then late answers, then what the
   * input gives now.
   */
  private collect(sub: LentSubStream, max: number): Item[] {
    const items: Item[] = []
    if (this.copyDue !== undefined && this.mayCopy(this.copyDue, sub) && this.placed(this.copyDue, sub)) {
      items.push(this.copyDue)
      this.copyDue = undefined
    }
    if (this.relend.size > 0)
      this.relend.take(max, items, (item) => this.leave(item, sub) || !this.placed(item, sub))
    if (!this.takesNew(sub)) return items
    while (items.length < max && this.fresh.size > 0) this.offer(this.fresh.shift() as Item, sub, items)
    if (items.length < max && this.worthReading(max - items.length)) this.readInto(items, max, sub)
    return items
  }

  /**
   * Puts `item` in `sub`'s batch, or, when the placement keeps it from `sub` (52), in the re-lend queue for
   * another sub-stream.
   */
  private offer(item: Item, sub: LentSubStream, items: Item[]): void {
    if (this.placed(item, sub)) items.push(item)
    else this.relend.push(item)
  }

  /**
   * Whether to read new input for a batch of `wanted` more items now. Not when the output has items ready
   * and the window has room for fewer than `wanted` (or a quarter of the window, if less): emitting first
   * makes room for a real batch, where reading now would lend one item per item emitted when the output is
   * read one item at a time.
   */
  private worthReading(wanted: number): boolean {
    if (!this.canRead()) return false
    const window = this.options.window
    const room = window - this.pendingCount
    return room >= Math.min(wanted, Math.ceil(window / 4)) || !this.outbox.hasNext()
  }

  /** Reads as many items as the input gives synchronously, up to `max` in `items` for `sub`. */
  private readInto(items: Item[], max: number, sub: LentSubStream): void {
    while (items.length < max && this.canRead()) {
      const job = this.input.read()
      if (job === undefined) return
      const item = this.admit(job)
      if (item !== undefined) this.offer(item, sub, items)
    }
  }

  /**
   * Whether `sub` leaves a failed item in the re-lend queue for another: when it failed the item itself, or
   * when it fails more than it computes (`suspect`) and one that does not could take the item (21).
   */
  private leave(item: Item, sub: LentSubStream): boolean {
    if (item.failures === 0) return false
    if (item.failedBy?.has(sub) === true) return this.elsewhere(item, sub)
    return sub.suspect && this.elsewhere(item, sub, (other) => !other.suspect)
  }

  /**
   * Whether another sub-stream (one `better` says is, if given) could take this item and has not failed it:
   * open, reading (it has read at least once and not aborted its source), not holding it, and with a credit
   * above 0 beyond the items it holds that were settled elsewhere (a speculative race's loser whose whole
   * credit they take is as good as paused: it may never read again before the heartbeat closes it). Only
   * then does `sub` leave it.
   */
  private elsewhere(item: Item, sub: LentSubStream, better?: (other: LentSubStream) => boolean): boolean {
    for (const other of this.open) {
      if (other === sub || !other.started || !other.accepting) continue
      if (other.credit - other.settledElsewhere <= 0) continue
      if (better !== undefined && !better(other)) continue
      if (item.failedBy?.has(other) !== true && !other.holding.has(item.job.id)) return true
    }
    return false
  }

  /**
   * Whether `sub` may take a straggler's copy: it does not hold it, nor failed it while others could take
   * it, and it has computed an item, unless no sub-stream that has could take it (37): a copy sent to a
   * borrower that never answers (a hoarder) would hold the item twice, with no third copy allowed.
   */
  private mayCopy(item: Item, sub: LentSubStream): boolean {
    if (sub.holding.has(item.job.id)) return false
    if (item.failedBy?.has(sub) === true && this.elsewhere(item, sub)) return false
    return sub.proven || !this.elsewhere(item, sub, (other) => other.proven)
  }

  /**
   * Stealing (49): when nothing is left to lend and sub-streams wait idle, asks the one that holds the most
   * to give back what it has not started, for them.
   */
  private steal(): void {
    if (this.lendingOver || this.canLend()) return
    let wanted = 0
    for (const sub of this.waiting)
      if (sub.accepting && idleWaiting(sub) && this.takesNew(sub)) wanted += sub.free
    const recall = pickRecall(this.open, wanted)
    if (recall === undefined || recall.count <= 0) return
    recall.from.recalling = true
    recall.from.onRecall?.(recall.count)
  }

  /** Makes sure a check runs when the head would become a straggler (speculating only). */
  private watch(): void {
    const stragglers = this.stragglers
    if (stragglers === undefined) return
    const head = this.watchedHead()
    if (head !== undefined) stragglers.checkBy(this.copyTime(head, stragglers))
  }

  /**
   * When the head needs a copy: its lending's time plus the threshold. Both the check's timer and the check
   * use this sum: `now - lentAt >= threshold` may round the other way, and re-arm at the same time forever.
   */
  private copyTime(head: Item, stragglers: Stragglers): number {
    return head.lentAt + stragglers.threshold()
  }

  /**
   * The reorder head, when it may need a copy: not settled, held by exactly one sub-stream, no copy due yet,
   * and another sub-stream open to take one. Lendings are timed only while another sub-stream is open (with
   * one, there is nowhere to send a copy, and the bench's hot path stays free of clock reads): an item lent
   * before has its time start when it is first watched, so its copy can come later, never sooner.
   */
  private watchedHead(): Item | undefined {
    if (this.open.size < 2 || this.lendingOver) return undefined
    const head = this.unemitted.peek()
    if (head === undefined || head.settled || head.holder === undefined || head.copyHolder !== undefined)
      return undefined
    if (head === this.copyDue) return undefined
    if (Number.isNaN(head.lentAt)) head.lentAt = (this.stragglers as Stragglers).now()
    return head
  }

  /** A check came due: when the head has been lent for longer than the threshold, lend it again first. */
  private checkHead(): void {
    const stragglers = this.stragglers as Stragglers
    const head = this.watchedHead()
    if (head !== undefined && stragglers.now() >= this.copyTime(head, stragglers)) this.copyDue = head
    this.drive()
  }

  /** Answers the output's waiting read for as long as the outbox has the next item. */
  private emit(): void {
    while (this.outputWaiting !== undefined) {
      const settled = this.outbox.next()
      if (settled === undefined) return
      const cb = this.outputWaiting
      this.outputWaiting = undefined
      this.counts.emitted++
      if (settled.ok) this.heldChars -= settled.result.length
      if (this.stragglers !== undefined) this.unemitted.shift()
      // The window has room again: go round once more in case lending waited for it.
      this.dirty = true
      cb(null, settled)
    }
  }

  /** Ends lending once nothing can be lent again, and the output once nothing more can be emitted. */
  private end(): void {
    const input = this.input
    if (!this.lendingOver && input.ended && (input.error !== undefined || this.nothingOut()))
      this.endLending()
    if (this.outputWaiting === undefined || !input.ended) return
    if (input.error !== undefined) this.endOutput(input.error)
    else if (this.pendingCount === 0) this.endOutput(true)
  }

  /** Nothing is lent, nor waiting to be: no item can come back to be lent again. */
  private nothingOut(): boolean {
    return this.counts.lent === 0 && this.relend.size === 0 && this.fresh.size === 0
  }

  /** Closes every sub-stream; whatever they held or was waiting to be lent is dropped (error or abort). */
  private endLending(): void {
    this.lendingOver = true
    this.stragglers?.stop()
    this.copyDue = undefined
    this.unemitted.clear()
    const subs = [...this.open]
    this.open.clear()
    this.waiting.clear()
    this.relend.drain()
    while (this.fresh.shift() !== undefined);
    this.counts.lent = 0
    for (const sub of subs) sub.finish()
  }

  private endOutput(end: true | Error): void {
    this.outputEnd = end
    this.stragglers?.stop()
    const cb = this.outputWaiting
    this.outputWaiting = undefined
    cb?.(end)
  }

  /** The reader of the output stopped: abort the input and close every sub-stream. */
  private abortOutput(abort: true | Error, cb: SourceCallback<Settled>): void {
    if (this.outputEnd === null) this.endOutput(true)
    this.endLending()
    this.input.abort(abort, () => cb(abort))
  }
}

/** The failure of an item whose result of `length` characters is over `maxResultChars`. */
function resultTooLarge(length: number, maxResultChars: number): SerializedError {
  return {
    name: RESULT_TOO_LARGE_ERROR,
    message: `the result is ${String(length)} characters, more than the limit of ${String(maxResultChars)}`,
  }
}
