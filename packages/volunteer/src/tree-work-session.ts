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
}

export interface TreeWorkSessionOptions {
  /** Jobs per message to a child and to the tab's own Worker (half what each may hold), or `'auto'`. */
  readonly batchSize: BatchSize
  /** Largest `outcomes` message to the parent, in characters of JSON. @default MAX_TREE_MESSAGE_CHARS */
  readonly maxMessageChars?: number
  /** The tab's own Workers: its runner's credit is two batches per Worker, one item each at first. @default 1 */
  readonly workers?: number
}

export interface TreeWorkSessionComponents {
  /** Sends a work message to the parent. */
  readonly sendUp: (message: TreeWorkMessage) => void
  /** Starts this tab's runner, which hands its outcomes to `onOutcomes`. */
  readonly createRunner: (onOutcomes: (outcomes: Outcome[]) => void) => JobRunner
}

/** pull-stream's drain has `abort` at run time; its types leave it out. */
type AbortableSink<T> = Sink<T> & { abort(reason?: true | Error): void }

/**
 * The work of a tab while it has one parent: a lender whose input is the jobs the parent sends and whose
 * output goes back to the parent as `outcomes` messages, as soon as each item settles (unordered; the root
 * restores the order). It lends to the tab's own runner (credit: two batches) and to each child (two batches
 * per worker of its subtree). A function error is an outcome like any other (`retries: 0`): the root retries.
 *
 * When the parent is lost the session is closed and what it held is dropped: the parent's ancestors lend it
 * again. Outcomes children send later for those items go to the next session, whose lender ignores ids it
 * did not lend.
 */
export class TreeWorkSession {
  readonly #options: Required<TreeWorkSessionOptions>
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
  #flushing = false
  #closed = false

  constructor(options: TreeWorkSessionOptions, components: TreeWorkSessionComponents) {
    this.#options = { maxMessageChars: MAX_TREE_MESSAGE_CHARS, workers: 1, ...options }
    this.#sendUp = components.sendUp
    this.#lender = createLender({ ordered: false, retries: 0, window: TREE_LENDER_WINDOW })
    this.#lender.sink(this.#input.source)
    this.#output = pull.drain((settled: Settled) => this.#settled(settled)) as AbortableSink<Settled>
    this.#output(this.#lender.source)
    let borrower: RemoteBorrower | undefined
    this.#runner = components.createRunner((outcomes) => borrower?.receive(outcomes))
    const own = this.#lender.lendStream({ name: 'worker' })
    // Its own Workers are no stranger's claim: each starts on an item at once (`unprovenWorkers`).
    const workers = this.#options.workers
    borrower = lendToRemote(own, (jobs) => this.#runner.add(jobs), {
      batchSize: options.batchSize,
      workers,
      unprovenWorkers: workers,
    })
    this.#runnerBorrower = borrower
    this.#children = new ChildLending(this.#lender, options.batchSize)
  }

  /** Items the parent lent this session and got no outcome for yet: held by this tab and its subtree. */
  get held(): number {
    return this.#pending.size
  }

  /** The volunteer changed the tab's Workers: its own runner's credit follows. */
  setRunnerWorkers(workers: number): void {
    if (!this.#closed) this.#runnerBorrower.setWorkers(workers)
  }

  /** Jobs the parent sent. */
  receiveJobs(jobs: readonly Job[]): void {
    if (this.#closed) return
    for (const job of jobs) {
      if (this.#pending.has(job.id)) continue
      this.#pending.add(job.id)
      this.#input.push(job)
    }
  }

  /** A child to lend to (connected, or present when the session started). */
  addChild(child: ChildInfo): void {
    if (!this.#closed) this.#children.add(child)
  }

  /** A child reported its subtree: its credit follows. */
  updateChild(child: ChildInfo): void {
    if (!this.#closed) this.#children.update(child)
  }

  /** A child left: what it held is lent again. */
  removeChild(channel: PeerChannel): void {
    this.#children.remove(channel)
  }

  /** Outcomes a child sent. */
  receiveOutcomes(channel: PeerChannel, outcomes: readonly Outcome[]): void {
    if (!this.#closed) this.#children.receive(channel, outcomes)
  }

  /** Ends the session: the runner stops, children are no longer lent to, held items are dropped. Idempotent. */
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
    this.#outbox.push(
      settled.ok
        ? { id: settled.id, ok: true, result: settled.result }
        : { id: settled.id, ok: false, error: settled.error },
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
    for (const group of packOutcomes(outcomes, this.#options.maxMessageChars)) {
      this.#sendUp({ type: 'outcomes', outcomes: group })
    }
  }
}
