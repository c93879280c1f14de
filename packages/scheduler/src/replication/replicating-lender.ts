import { ITEM_TIMEOUT_ERROR, type Job, type SerializedError } from '@pando/protocol'
import type { Abort, EndOrError, Source, SourceCallback } from 'pull-stream'
import { DEFAULT_WINDOW, TRUSTED_RECHECK_SHARE, COPY_SLOTS } from '../constants.ts'
import { Deque } from '../deque.ts'
import { CaughtError, DISAGREEMENT_ERROR, OutvotedError, StreamMisuseError } from '../errors.ts'
import { createLender } from '../lender.ts'
import { RerunningLoop } from '../rerunning-loop.ts'
import type { Lender, LenderOptions, LendStreamOptions, Placement, Settled, SubStream } from '../types.ts'
import { MAX_REPLICAS, copyId, itemOfCopy } from './copy-ids.ts'
import { judge, type Answer } from './quorum.ts'
import { Reputation, type Standing, type StandingSnapshot } from './reputation.ts'

/** How items are replicated (SPEC 52–56). */
export interface ReplicationOptions {
  /** Agreeing answers from distinct volunteers an item needs (`--replicas`, N ≥ 1). */
  readonly replicas: number
  /** The most copies of one item (`--max-replicas`), at least `replicas`, at most `COPY_SLOTS`. */
  readonly maxReplicas: number
  /**
   * Adaptive replication (`--replicas auto`, SPEC 58): each item is lent once; the answer of a trusted
   * volunteer is taken (but for random re-checks), any other needs `replicas` agreeing answers.
   * @default false
   */
  readonly adaptive?: boolean
  /**
   * Told when a volunteer is excluded, with its standing (after its sub-stream was dropped, when it is one of
   * the root's: a tab deeper in the tree is the owner's to close, `TreeRoot.closeTab`).
   */
  readonly onExcluded?: (standing: Standing) => void
  /**
   * Spot checks (SPEC 57): the share of items (0 to 1) also computed by the sub-stream named
   * `groundTruth` (the root itself), whose answer is taken as right. @default 0
   */
  readonly spotCheck?: number
  /** The name of the sub-stream that computes the spot checks, and only them. @default 'local' */
  readonly groundTruth?: string
  /** Draws the spot-checked items (and nothing else). @default Math.random */
  readonly random?: () => number
}

/** A lender that replicates: the items' settled values, and each volunteer's standing. */
export interface ReplicatingLender extends Lender {
  /** Every volunteer that answered a copy, with its standing now. */
  standings(): StandingSnapshot[]
  /**
   * Volunteer `name` is refused, `why` (its browser was excluded earlier in the run): it is excluded as in
   * SPEC 56 without a judgement of its own (`onExcluded` is not told), so that what it answered before the
   * refusal, or sends after it, counts not.
   */
  refuse(name: string, why: string): void
}

/** An item read from the input, from its read until it is emitted. */
interface Replicated {
  readonly job: Job
  /** The next copy's number (its id's low part). */
  nextCopy: number
  /**
   * Copies whose answer counts or is awaited, given to the lender or about to be (a struck answer's copy no
   * longer counts).
   */
  live: number
  readonly answers: Answer[]
  /** Sub-streams holding one of its copies now (one each: SPEC 53). */
  readonly holders: Map<string, number>
  /** Tabs that answered one of its copies: none gets another (SPEC 53). */
  readonly answered: Set<string>
  /** The same tabs in a list, which every copy of the item carries as its `avoid` (shared: it grows). */
  readonly avoid: string[]
  /** Sub-streams through which one of its copies was answered: another goes there only if none else can. */
  readonly answeredVia: Set<string>
  /** What it is emitted as, once decided. */
  verdict: Settled | undefined
  /** The job id of its spot check's copy, for the ground truth only; -1 when it is not checked. */
  readonly spotCopy: number
  /** The agreeing answers it needs: `replicas`, or 1 while adaptive replication may take one on trust. */
  needed: number
}

/** The failure of an item whose copies never agreed. */
function disagreement(answers: readonly Answer[], maxReplicas: number): SerializedError {
  const quoted = answers.map(({ by, result }) => `'${by}' gave ${JSON.stringify(result.slice(0, 40))}`)
  return {
    name: DISAGREEMENT_ERROR,
    message: `no result won a majority in ${String(maxReplicas)} copies (--max-replicas): ${quoted.join(', ')}`,
  }
}

/**
 * Creates a lender that has each item computed by `replicas` distinct volunteers of the root and emits it
 * once their answers agree (SPEC 52–56). Each item becomes copies, jobs of their own to an inner lender
 * whose placement keeps an item's copies on distinct sub-streams; the answers are judged in `judge`, more
 * copies are lent on a disagreement, and a volunteer outvoted too often is dropped. The inner lender is
 * ordered and names the settler; `lenderOptions.window` bounds the items (not the copies) pending.
 */
export function createReplicatingLender(
  lenderOptions: LenderOptions,
  replication: ReplicationOptions,
): ReplicatingLender {
  const { replicas, maxReplicas } = replication
  if (!Number.isSafeInteger(replicas) || replicas < 1)
    throw new RangeError(`replicas must be an integer ≥ 1, got ${String(replicas)}`)
  const spotCheck = replication.spotCheck ?? 0
  if (!(spotCheck >= 0 && spotCheck <= 1))
    throw new RangeError(`spotCheck must be a share from 0 to 1, got ${String(spotCheck)}`)
  if (!Number.isSafeInteger(maxReplicas) || maxReplicas < replicas || maxReplicas > MAX_REPLICAS)
    throw new RangeError(
      `maxReplicas must be an integer from replicas (${String(replicas)}) to ${String(MAX_REPLICAS)}, got ${String(maxReplicas)}`,
    )
  return new Replication(lenderOptions, replication).lender()
}

class Replication implements Placement {
  readonly #inner: Lender
  readonly #window: number
  readonly #items = new Map<number, Replicated>()
  /** Items read and not yet emitted, in read order. */
  readonly #order = new Deque<Replicated>()
  /** Copies to give the inner lender before any new item: extra copies after a disagreement. */
  readonly #extra = new Deque<Job>()
  /** The item whose first copies are being given, and how many are left. */
  #current: Replicated | undefined
  #currentLeft = 0
  readonly #reputation = new Reputation()
  readonly #subStreams = new Map<
    string,
    { sub: SubStream; onDropped?: (reason: Error) => void; tabs?: () => Iterable<string> }
  >()
  #upstream: Source<Job> | undefined
  #upstreamReading = false
  #upstreamEnd: EndOrError = null
  #copyWaiting: SourceCallback<Job> | undefined
  /** Feeds the inner lender's input (see {@link feedOnce}). */
  readonly #feeding = new RerunningLoop(() => this.feedOnce())
  #outWaiting: SourceCallback<Settled> | undefined
  #innerReading = false
  #innerEnd: EndOrError = null
  /** Emits what is decided and reads the inner lender's output (see {@link emitReady}, {@link readInner}). */
  readonly #pumping = new RerunningLoop(() => {
    this.emitReady()
    this.readInner()
  })
  #read = 0
  #emitted = 0
  /** Items read and not yet decided. */
  #undecided = 0
  readonly #spotCheck: number
  readonly #groundTruth: string
  readonly #random: () => number

  constructor(
    lenderOptions: LenderOptions,
    private readonly replication: ReplicationOptions,
  ) {
    this.#window = lenderOptions.window ?? DEFAULT_WINDOW
    this.#spotCheck = replication.spotCheck ?? 0
    this.#groundTruth = replication.groundTruth ?? 'local'
    this.#random = replication.random ?? Math.random
    this.#inner = createLender({
      ...lenderOptions,
      ordered: true,
      nameSettler: true,
      window: this.#window * (replication.maxReplicas + 1),
      placement: this,
    })
    this.#inner.sink((abort, cb) => this.readCopy(abort, cb))
  }

  lender(): ReplicatingLender {
    return {
      sink: (source) => {
        this.#upstream = source
        this.feed()
      },
      source: (abort, cb) => this.readOutput(abort, cb),
      lendStream: (options) => this.lendStream(options),
      state: () => ({
        ...this.#inner.state(),
        read: this.#read,
        emitted: this.#emitted,
        pending: this.#read - this.#emitted,
      }),
      standings: () => this.#reputation.all(this.replication.adaptive === true),
      refuse: (name, why) => {
        if (!this.#reputation.isExcluded(name)) this.exclude(name, new Error(why), false)
      },
      // Ordered, as every root lender (SPEC 48b): its inner lender refuses.
      withdraw: (max) => this.#inner.withdraw(max),
    }
  }

  // Placement (SPEC 52): an item's copies on distinct volunteers, none on an excluded one.

  claim(job: Job, name: string): boolean {
    const item = this.#items.get(itemOfCopy(job.id))
    if (item === undefined) return true
    // The ground truth takes the spot checks' copies, and nothing else (57).
    if ((job.id === item.spotCopy) !== (name === this.#groundTruth)) return false
    if (this.#reputation.isExcluded(name) || item.holders.has(name)) return false
    if (item.answeredVia.has(name) && !this.takesAnother(item, name)) return false
    item.holders.set(name, 1)
    return true
  }

  /**
   * Whether sub-stream `name`, through which a copy of `item` was answered already, may take another (53):
   * only when a tab behind it has not answered the item (it then carries the answered tabs in its `avoid`,
   * for the tabs to pass it to another), and no other sub-stream that has not answered the item could take
   * it: copies go to distinct volunteers of the root first, so that as few of them as can be pass one
   * interior tab.
   */
  private takesAnother(item: Replicated, name: string): boolean {
    const tabs = this.#subStreams.get(name)?.tabs?.() ?? [name]
    let fresh = false
    for (const tab of tabs) {
      if (item.answered.has(tab) || this.#reputation.isExcluded(tab)) continue
      fresh = true
      break
    }
    if (!fresh) return false
    for (const [other, { sub }] of this.#subStreams) {
      if (other === name || other === this.#groundTruth || sub.closed || sub.credit === 0) continue
      if (this.#reputation.isExcluded(other) || item.holders.has(other) || item.answeredVia.has(other))
        continue
      return false
    }
    return true
  }

  takesNew(name: string): boolean {
    return name !== this.#groundTruth
  }

  release(job: Job, name: string, answered: boolean, failure?: SerializedError, by?: string): void {
    // The tab that computed it, as the tree names it (checked at each hop), else the sub-stream's own.
    const tab = by ?? name
    // Each failed attempt counts against the tab that made it, retried or not (56).
    if (failure !== undefined) {
      const standing = this.#reputation.of(tab)
      standing.failed++
      if (failure.name === ITEM_TIMEOUT_ERROR) standing.timedOut++
    }
    const item = this.#items.get(itemOfCopy(job.id))
    if (item === undefined) return
    item.holders.delete(name)
    if (!answered) return
    item.answeredVia.add(name)
    if (item.answered.has(tab)) return
    item.answered.add(tab)
    item.avoid.push(tab)
  }

  private lendStream(options: LendStreamOptions = {}): SubStream {
    const sub = this.#inner.lendStream(options)
    this.#subStreams.set(sub.name, {
      sub,
      ...(options.onDropped === undefined ? {} : { onDropped: options.onDropped }),
      ...(options.tabs === undefined ? {} : { tabs: options.tabs }),
    })
    return sub
  }

  // The inner lender's input: extra copies first, then the copies of each new item.

  private readCopy(abort: Abort, cb: SourceCallback<Job>): void {
    if (abort) {
      this.#upstreamEnd ??= abort
      if (this.#upstream === undefined) return cb(abort)
      this.#upstream(abort, () => cb(abort))
      return
    }
    this.#copyWaiting = cb
    this.feed()
  }

  private feed(): void {
    this.#feeding.run()
  }

  private feedOnce(): void {
    const cb = this.#copyWaiting
    if (cb === undefined) return
    const job = this.nextCopy()
    if (job !== undefined) {
      this.#copyWaiting = undefined
      cb(null, job)
      this.#feeding.again()
      return
    }
    if (this.#upstreamEnd !== null) {
      // The inner input ends only once no item can need another copy (an error ends it at once).
      if (this.#upstreamEnd !== true || this.#undecided === 0) {
        this.#copyWaiting = undefined
        cb(this.#upstreamEnd)
      }
      return
    }
    const upstream = this.#upstream
    if (upstream === undefined || this.#upstreamReading) return
    if (this.#read - this.#emitted >= this.#window) return
    this.#upstreamReading = true
    upstream(null, (end, job) => {
      this.#upstreamReading = false
      if (end) this.#upstreamEnd = end
      else if (job !== undefined) this.admit(job)
      this.feed()
    })
  }

  private nextCopy(): Job | undefined {
    const extra = this.#extra.shift()
    if (extra !== undefined) return extra
    const current = this.#current
    if (current === undefined || this.#currentLeft === 0) return undefined
    this.#currentLeft--
    return this.newCopy(current)
  }

  /** The item's next copy (its first `replicas` copies count as live from its read). */
  private newCopy(item: Replicated): Job {
    return { id: copyId(item.job.id, item.nextCopy++), value: item.job.value, avoid: item.avoid }
  }

  private admit(job: Job): void {
    const checked = this.#spotCheck > 0 && this.#random() < this.#spotCheck
    const needed = this.replication.adaptive === true ? 1 : this.replication.replicas
    const copies = needed + (checked ? 1 : 0)
    const item: Replicated = {
      job,
      nextCopy: 0,
      live: copies,
      answers: [],
      holders: new Map(),
      answered: new Set(),
      avoid: [],
      answeredVia: new Set(),
      verdict: undefined,
      // The last of its first copies.
      spotCopy: checked ? copyId(job.id, copies - 1) : -1,
      needed,
    }
    this.#read++
    this.#undecided++
    this.#items.set(job.id, item)
    this.#order.push(item)
    this.#current = item
    this.#currentLeft = copies
  }

  // The output: the inner lender's settled copies, judged, and emitted in item order.

  private readOutput(abort: Abort, cb: SourceCallback<Settled>): void {
    if (abort) {
      this.#innerEnd ??= abort
      this.#inner.source(abort, () => cb(abort))
      return
    }
    if (this.#outWaiting !== undefined)
      throw new StreamMisuseError('lender source read before its last callback')
    this.#outWaiting = cb
    this.pump()
  }

  private pump(): void {
    this.#pumping.run()
  }

  private emitReady(): void {
    while (this.#outWaiting !== undefined) {
      const head = this.#order.peek()
      const cb = this.#outWaiting
      if (head?.verdict !== undefined) {
        this.#order.shift()
        this.#items.delete(head.job.id)
        this.#emitted++
        this.#outWaiting = undefined
        this.feed() // room in the window
        cb(null, head.verdict)
        continue
      }
      if (this.#innerEnd === null) return
      this.#outWaiting = undefined
      cb(
        this.#innerEnd === true && head !== undefined
          ? new Error('the replicated lender ended with items undecided')
          : this.#innerEnd,
      )
    }
  }

  private readInner(): void {
    if (this.#outWaiting === undefined || this.#innerReading || this.#innerEnd !== null) return
    this.#innerReading = true
    this.#inner.source(null, (end, settled) => {
      this.#innerReading = false
      if (end) this.#innerEnd = end
      else if (settled !== undefined) this.take(settled)
      this.pump()
    })
  }

  /** A copy settled: count its answer, and judge the item once no copy of it is outstanding. */
  private take(settled: Settled): void {
    const item = this.#items.get(itemOfCopy(settled.id))
    if (item === undefined || item.verdict !== undefined) return
    const by = settled.by ?? ''
    const { id, value } = item.job
    // Its volunteers' failures were counted as they came (`release`).
    if (!settled.ok) {
      this.settle(item, { ...settled, id, value })
      return
    }
    // An excluded tab's answer, or a second answer of one tab (a tab that ignored its `avoid`), counts not.
    if (this.#reputation.isExcluded(by) || item.answers.some((answer) => answer.by === by)) {
      this.strike(item)
    } else item.answers.push({ by, result: settled.result })
    this.decide(item)
  }

  /** A copy's answer no longer counts (its volunteer was excluded): another copy takes its place. */
  private strike(item: Replicated): void {
    item.live--
  }

  private decide(item: Replicated): void {
    if (item.answers.length < item.live) return // copies outstanding
    if (item.spotCopy >= 0) return this.decideChecked(item)
    if (item.needed === 1 && this.replication.replicas > 1 && !this.takenOnTrust(item)) {
      // Adaptive replication: an answer not taken on trust needs `replicas` agreeing ones (58).
      item.needed = this.replication.replicas
    }
    if (item.needed === 1 && item.answers.length === 1) {
      const { id, value } = item.job
      const [only] = item.answers as [Answer]
      this.settle(item, { id, value, ok: true, result: only.result, by: only.by })
      return
    }
    const judgement = judge(item.answers, item.needed)
    if (judgement.kind === 'more') {
      if (item.live >= this.replication.maxReplicas || item.nextCopy >= COPY_SLOTS) {
        const error = disagreement(item.answers, this.replication.maxReplicas)
        const attempts = item.answers.length
        this.settle(item, { id: item.job.id, value: item.job.value, ok: false, error, attempts })
        return
      }
      item.live++
      this.#extra.push(this.newCopy(item))
      this.feed()
      return
    }
    const { id, value } = item.job
    for (const name of judgement.agreed) this.#reputation.of(name).agreed++
    for (const name of judgement.outvoted) this.#reputation.of(name).outvoted++
    this.settle(item, { id, value, ok: true, result: judgement.result, by: judgement.agreed.join(',') })
    for (const name of judgement.outvoted) if (this.#reputation.deservesExclusion(name)) this.exclude(name)
  }

  /**
   * Adaptive replication (58): whether the item's only answer is taken on its volunteer's word: it is
   * trusted, and the item was not drawn for a re-check.
   */
  private takenOnTrust(item: Replicated): boolean {
    const [only] = item.answers
    if (only === undefined || item.answers.length !== 1) return false
    return this.#reputation.isTrusted(only.by) && this.#random() >= TRUSTED_RECHECK_SHARE
  }

  /**
   * A spot-checked item (57): the ground truth's answer is the item's result; every volunteer that gave
   * another is caught, and excluded at once.
   */
  private decideChecked(item: Replicated): void {
    const truth = item.answers.find((answer) => answer.by === this.#groundTruth)
    if (truth === undefined) return // struck? cannot be: the ground truth is never excluded
    const caught: string[] = []
    for (const { by, result } of item.answers) {
      if (by === this.#groundTruth) continue
      if (result === truth.result) this.#reputation.of(by).agreed++
      else {
        const standing = this.#reputation.of(by)
        standing.outvoted++
        standing.caught++
        caught.push(by)
      }
    }
    const { id, value } = item.job
    this.settle(item, { id, value, ok: true, result: truth.result, by: truth.by })
    for (const name of caught) if (!this.#reputation.isExcluded(name)) this.exclude(name, new CaughtError())
  }

  /** The item is decided, for good: the inner input may end once none is left undecided. */
  private settle(item: Replicated, verdict: Settled): void {
    item.verdict = verdict
    this.#undecided--
    if (this.#upstreamEnd !== null) this.feed()
  }

  /**
   * Excludes a volunteer (SPEC 56): its sub-stream is dropped (what it holds is lent again, and its owner
   * closes the connection), and its answers to undecided items are struck, each replaced by a new copy;
   * `onExcluded` is told unless the volunteer was refused (`tell` false: the refusal was told already).
   */
  private exclude(
    name: string,
    reason: Error = new OutvotedError(this.#reputation.of(name)),
    tell = true,
  ): void {
    const standing = this.#reputation.of(name)
    standing.excluded = reason.message
    const entry = this.#subStreams.get(name)
    if (entry !== undefined) {
      entry.sub.close(reason)
      entry.onDropped?.(reason)
    }
    for (const item of this.#items.values()) {
      if (item.verdict !== undefined) continue
      const before = item.answers.length
      for (let i = item.answers.length - 1; i >= 0; i--)
        if (item.answers[i]?.by === name) item.answers.splice(i, 1)
      for (let struck = before - item.answers.length; struck > 0; struck--) this.strike(item)
      if (before !== item.answers.length) this.decide(item)
    }
    if (tell) this.replication.onExcluded?.(standing)
  }
}
