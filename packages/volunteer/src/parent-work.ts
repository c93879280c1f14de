import type { ChildInfo, PeerChannel } from '@pando/overlay'
import { MAX_TREE_MESSAGE_CHARS, type Job, type Outcome, type TreeWorkMessage } from '@pando/protocol'
import {
  ChildLending,
  createLender,
  lendToRemote,
  type BatchSize,
  type Lender,
  type RemoteBorrower,
  type Settled,
} from '@pando/scheduler'
import pull, { type Sink } from 'pull-stream'
import { TREE_LENDER_WINDOW } from './constants.ts'
import { packOutcomes } from './outcome-batches.ts'
import { createPushable, type Pushable } from './pushable.ts'

/** What runs jobs on this tab: its Workers (a `WorkerPool`), or a stand-in in tests. */
export interface JobRunner {
  /** Queues jobs; their outcomes come back through the callback given at creation, in any order. */
  add(jobs: readonly Job[]): void
  /** Stops: queued jobs are dropped, no more outcomes. Idempotent. */
  close(): void
  /** Takes up to `count` queued jobs it has not started (see `WorkerPool.recall`). */
  recall?(count: number): Job[]
}

export interface ParentWorkOptions {
  /**
   * The tab's node id: the `by` of what its own Workers compute, and the tab a job's `avoid` may name.
   * @default 'worker'
   */
  readonly id?: string
  /** Jobs per message to a child and to the tab's own Worker (half what each may hold), or `'auto'`. */
  readonly batchSize: BatchSize
  /** Largest `outcomes` message to the parent, in characters of JSON. @default MAX_TREE_MESSAGE_CHARS */
  readonly maxMessageChars?: number
  /** The tab's own Workers: its runner's credit is two batches per Worker, one item each at first. @default 1 */
  readonly workers?: number
  /** Whether the tab starts paused (see `setPaused`). @default false */
  readonly paused?: boolean
}

export interface ParentWorkComponents {
  /** Sends a work message to the parent. */
  readonly sendUp: (message: TreeWorkMessage) => void
  /**
   * Starts this tab's runner, which hands its outcomes to `onOutcomes`, with its Worker's own time per item
   * when it has it (see `WorkerQueue`).
   */
  readonly createRunner: (onOutcomes: (outcomes: Outcome[], msPerItem?: number) => void) => JobRunner
}

/** pull-stream's drain has `abort` at run time; its types leave it out. */
type AbortableSink<T> = Sink<T> & { abort(reason?: true | Error): void }

/**
 * The work of a tab while it has one parent: a lender whose input is the jobs the parent sends and whose
 * output goes back to the parent as `outcomes` messages, as soon as each item settles (unordered; the root
 * restores the order). It lends to the tab's own runner (credit: two batches) and to each child (two batches
 * per worker of its subtree). A function error is an outcome like any other (`retries: 0`): the root retries.
 *
 * When the parent is lost the parent's work is closed and what it held is dropped: the parent's ancestors lend it
 * again. Outcomes children send later for those items go to the next parent's work, whose lender ignores ids it
 * did not lend.
 */
export class ParentWork {
  readonly #options: Required<ParentWorkOptions>
  readonly #sendUp: (message: TreeWorkMessage) => void
  readonly #input: Pushable<Job> = createPushable<Job>()
  readonly #lender: Lender
  readonly #output: AbortableSink<Settled>
  readonly #runner: JobRunner
  readonly #runnerBorrower: RemoteBorrower
  readonly #children: ChildLending
  /** Ids lent to this tab and not yet answered: a job sent twice is taken once. */
  readonly #pending = new Set<number>()
  #outbox: Outcome[] = []
  /** The Worker's own time per item over its last batch, not yet sent up. */
  #msPerItem: number | undefined
  /** The tab's own Workers, and whether its volunteer paused them (they then count 0). */
  #workers: number
  #paused: boolean
  #flushing = false
  #closed = false

  constructor(options: ParentWorkOptions, components: ParentWorkComponents) {
    this.#options = {
      id: 'worker',
      maxMessageChars: MAX_TREE_MESSAGE_CHARS,
      workers: 1,
      paused: false,
      ...options,
    }
    this.#workers = this.#options.workers
    this.#paused = this.#options.paused
    this.#sendUp = components.sendUp
    // Each outcome goes up naming the tab that computed it (`nameSettler`: this tab's, or what a child
    // named and `ChildLending` checked); a copy goes to no branch all of whose tabs it must avoid.
    this.#lender = createLender({
      ordered: false,
      retries: 0,
      window: TREE_LENDER_WINDOW,
      nameSettler: true,
      placement: { claim: (job, name) => this.#mayTake(name, job), release: () => undefined },
    })
    this.#lender.sink(this.#input.source)
    this.#output = pull.drain((settled: Settled) => this.#settled(settled)) as AbortableSink<Settled>
    this.#output(this.#lender.source)
    let borrower: RemoteBorrower | undefined
    this.#runner = components.createRunner((outcomes, msPerItem) => {
      // The parent hears it with the next outcomes that go up: its lender sizes this subtree by it too.
      if (msPerItem !== undefined) this.#msPerItem = msPerItem
      borrower?.receive(outcomes, msPerItem)
    })
    // A child waits idle while the Workers have jobs queued: they go to the child (SPEC 49 of the scheduler).
    const own = this.#lender.lendStream({
      name: this.#options.id,
      onRecall: (count) => borrower?.giveBack((this.#runner.recall?.(count) ?? []).map((job) => job.id)),
    })
    // Its own Workers are no stranger's claim: each starts on an item at once (`unprovenWorkers`).
    borrower = lendToRemote(own, (jobs) => this.#runner.add(jobs), {
      batchSize: options.batchSize,
      workers: this.#runnerWorkers(),
      unprovenWorkers: this.#workers,
    })
    this.#runnerBorrower = borrower
    this.#children = new ChildLending(this.#lender, options.batchSize)
  }

  /** Items the parent lent this tab and got no outcome for yet: held by this tab and its subtree. */
  get held(): number {
    return this.#pending.size
  }

  /** The volunteer changed the tab's Workers: its own runner's credit follows. */
  setRunnerWorkers(workers: number): void {
    this.#workers = workers
    if (!this.#closed) this.#runnerBorrower.setWorkers(this.#runnerWorkers())
  }

  /**
   * The volunteer paused (or resumed) the tab. Paused, its own Workers get nothing more (their credit is 0;
   * the batches they run finish), and what the tab holds unstarted goes back: its Workers' queue to its own
   * lender, which lends it to its children if one waits, and the rest, with what it has not lent on yet, to
   * the parent in a `return` (scheduler SPEC 48a). Its children keep working through it. Resumed, its
   * Workers are lent to again.
   */
  setPaused(paused: boolean): void {
    if (this.#closed || paused === this.#paused) return
    this.#paused = paused
    this.#runnerBorrower.setWorkers(this.#runnerWorkers())
    if (!paused) return
    const queued = this.#runner.recall?.(Number.MAX_SAFE_INTEGER) ?? []
    if (queued.length > 0) this.#runnerBorrower.giveBack(queued.map((job) => job.id))
    this.returnWaiting()
  }

  /** Workers of its own the tab's lender lends to: none while paused. */
  #runnerWorkers(): number {
    return this.#paused ? 0 : this.#workers
  }

  /**
   * Jobs the parent sent. A copy that no branch may take (every tab of this subtree answered another copy
   * of its item: its `avoid`) goes straight back, in a `return`.
   */
  receiveJobs(jobs: readonly Job[]): void {
    if (this.#closed) return
    let refused: Job[] | undefined
    for (const job of jobs) {
      if (this.#pending.has(job.id)) continue
      if (job.avoid !== undefined && job.avoid.length > 0 && !this.#placeable(job)) {
        ;(refused ??= []).push(job)
        continue
      }
      this.#pending.add(job.id)
      this.#input.push(job)
    }
    if (refused !== undefined) this.#sendUp({ type: 'return', ids: refused.map((job) => job.id) })
  }

  /** Whether the branch `name` (this tab's Workers, or a child) may compute `job` (scheduler SPEC 53). */
  #mayTake(name: string, job: Job): boolean {
    const avoid = job.avoid
    if (avoid === undefined || avoid.length === 0) return true
    if (name === this.#options.id) return !avoid.includes(name)
    for (const tab of this.#children.tabsOf(name)) if (!avoid.includes(tab)) return true
    return false
  }

  /** Whether some branch of this tab may compute `job`. */
  #placeable(job: Job): boolean {
    if (this.#mayTake(this.#options.id, job)) return true
    return this.#children.names().some((name) => this.#mayTake(name, job))
  }

  /** The tabs a child's latest status named (its subtree): what the outcomes it passes up may name. */
  setChildTabs(channel: PeerChannel, ids: Iterable<string>): void {
    if (!this.#closed) this.#children.setTabs(channel, ids)
  }

  /** A child to lend to (connected, or present when the work started). */
  addChild(child: ChildInfo): void {
    if (!this.#closed) this.#children.add(child)
  }

  /** A child reported its subtree: its credit follows. */
  updateChild(child: ChildInfo): void {
    if (!this.#closed) this.#children.update(child)
  }

  /**
   * A child left: what it held is lent again, and the copies that no branch left may take (their `avoid`
   * names every tab still here) go back to the parent.
   */
  removeChild(channel: PeerChannel): void {
    this.#children.remove(channel)
    if (!this.#closed) this.#returnUnplaceable()
  }

  /** Gives back to the parent the copies waiting here that no branch may take now (scheduler SPEC 53). */
  #returnUnplaceable(): void {
    const waiting = this.#lender.withdraw(Number.MAX_SAFE_INTEGER)
    if (waiting.length === 0) return
    const refused = waiting.filter((job) => job.avoid !== undefined && !this.#placeable(job))
    for (const job of waiting) if (!refused.includes(job)) this.#input.push(job)
    if (refused.length > 0) this.#giveBack(refused)
  }

  /** Outcomes a child sent, with its own time per item if it gave one. */
  receiveOutcomes(channel: PeerChannel, outcomes: readonly Outcome[], msPerItem?: number): void {
    if (!this.#closed) this.#children.receive(channel, outcomes, msPerItem)
  }

  /** Items a child gave back (a `return` message): lent again, first. */
  receiveReturn(channel: PeerChannel, ids: readonly number[]): void {
    if (!this.#closed) this.#children.giveBack(channel, ids)
  }

  /**
   * The parent asks for up to `count` items back (a `recall`): those it sent that this tab has not lent on
   * yet (not to its Worker, nor to a child) go back in a `return` message, an empty one when there are none.
   */
  recall(count: number): void {
    if (!this.#closed) this.#giveBack(this.#waiting(count))
  }

  /**
   * Gives back to the parent every item this tab holds and has not lent on (not to its Workers, nor to a
   * child), in a `return` message if there is any, and returns how many.
   */
  returnWaiting(): number {
    if (this.#closed) return 0
    const jobs = this.#waiting(Number.MAX_SAFE_INTEGER)
    if (jobs.length > 0) this.#giveBack(jobs)
    return jobs.length
  }

  /**
   * Up to `count` items the tab holds and has not lent on: not read by its lender yet (the last sent first),
   * then waiting in its lender to be lent again (given back by its Workers, or left by a child).
   */
  #waiting(count: number): Job[] {
    const jobs = this.#input.takeBack(count)
    if (jobs.length < count) jobs.push(...this.#lender.withdraw(count - jobs.length))
    return jobs
  }

  #giveBack(jobs: readonly Job[]): void {
    for (const job of jobs) this.#pending.delete(job.id)
    this.#sendUp({ type: 'return', ids: jobs.map((job) => job.id) })
  }

  /** Ends the work under this parent: the runner stops, children are no longer lent to, held items are dropped. Idempotent. */
  close(): void {
    if (this.#closed) return
    this.#closed = true
    this.#outbox = []
    this.#runner.close()
    this.#runnerBorrower.close()
    this.#children.close()
    this.#output.abort()
    this.#input.end()
  }

  #settled(settled: Settled): void {
    if (this.#closed) return
    this.#pending.delete(settled.id)
    const by = settled.by === undefined ? {} : { by: settled.by }
    this.#outbox.push(
      settled.ok
        ? { id: settled.id, ok: true, result: settled.result, ...by }
        : { id: settled.id, ok: false, error: settled.error, ...by },
    )
    if (this.#flushing) return
    // Outcomes that settle in the same turn (a whole batch from the Worker) go up in one message.
    this.#flushing = true
    queueMicrotask(() => this.#flush())
  }

  #flush(): void {
    this.#flushing = false
    const outcomes = this.#outbox
    this.#outbox = []
    if (this.#closed || outcomes.length === 0) return
    const groups = packOutcomes(outcomes, this.#options.maxMessageChars)
    const msPerItem = this.#msPerItem
    this.#msPerItem = undefined
    groups.forEach((group, i) => {
      const last = i === groups.length - 1 && msPerItem !== undefined
      this.#sendUp(
        last ? { type: 'outcomes', outcomes: group, msPerItem } : { type: 'outcomes', outcomes: group },
      )
    })
  }
}
