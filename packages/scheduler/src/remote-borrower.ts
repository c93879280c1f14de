import {
  MAX_TAB_WORKERS,
  WIRE_ENVELOPE_CHARS,
  jobJsonLength,
  jsonStringLength,
  packByLength,
  transportLimitError,
  type Job,
  type Outcome,
} from '@pando/protocol'
import pull, { type Source, type SourceCallback } from 'pull-stream'
import { batchSizing, type BatchSize, type BatchSizing } from './batch-sizing.ts'
import type { LenderClock } from './clock.ts'
import { BATCHES_IN_FLIGHT, EARNED_CREDIT_PER_ANSWER, UNPROVEN_CREDIT } from './constants.ts'
import type { SubStream } from './types.ts'

/** The lender's side of a borrower reached by messages (a volunteer's WebSocket, a data channel). */
export interface RemoteBorrower {
  /**
   * Hands outcomes received from the peer to the lender, with the peer's own time per item if it said
   * (`msPerItem`, see `BatchSizing.reported`).
   */
  receive(outcomes: readonly Outcome[], msPerItem?: number): void
  /**
   * The peer gave back items it was lent and will not compute (a `return` message): they are lent again,
   * first (SPEC 48a). Ids it did not hold are ignored and counted.
   */
  giveBack(ids: readonly number[]): void
  /**
   * The workers behind the peer (its subtree) changed: its credit follows. With none (a paused tab, a
   * subtree whose tabs are all paused) its credit is 0: it is lent nothing and keeps what it holds (SPEC 48).
   */
  setWorkers(workers: number): void
  /** The peer is gone: the jobs it held are lent again. Idempotent. */
  close(reason?: Error): void
}

export interface RemoteLendingOptions {
  /** Jobs per message, or `'auto'` to follow the peer's speed (see `adaptiveBatchSizing`). */
  readonly batchSize: BatchSize
  /** Workers behind the peer, at first (0: none now, credit 0, see `setWorkers`). @default 1 */
  readonly workers?: number
  /**
   * Workers the lender trusts the peer to run before it answered anything (a tab's own Workers, as its page
   * or its `hello` says, bounded by `MAX_TAB_WORKERS`): its unproven credit is one item per Worker
   * (`unprovenCredit`), so that a tab with 2 Workers starts both. Claims made later (`setWorkers`, a
   * subtree's reports) earn no such trust. @default 1
   */
  readonly unprovenWorkers?: number
  /**
   * Largest message of jobs, in characters of JSON: jobs are packed into messages of at most this. A job
   * that cannot fit on its own goes alone in a message (which the link splits into chunks). @default no limit
   */
  readonly maxMessageChars?: number
  /**
   * Largest job the link carries, in characters of JSON (`MAX_LINK_ITEM_CHARS`): a larger one is not sent
   * but answered at once with a `TransportLimitError`. @default no limit
   */
  readonly maxItemChars?: number
  /**
   * The round trip to the peer in ms, as last measured (0 when unknown): with `batchSize: 'auto'`, the peer's
   * credit covers it, so that a far peer never waits for jobs. Read whenever the credit is worked out.
   */
  readonly roundTrip?: () => number
  /** For tests. @default the platform's clock */
  readonly clock?: LenderClock
}

/**
 * The most a peer that has answered `answered` items may hold, whatever its batch sizing says: trust is
 * earned by answers (see `UNPROVEN_CREDIT`), so a peer that takes items and never answers pins only a few.
 */
export const earnedCredit = (answered: number, unproven = UNPROVEN_CREDIT): number =>
  unproven + EARNED_CREDIT_PER_ANSWER * answered

/**
 * The free credit a remote borrower waits for before it reads more jobs: a whole batch, or half its credit
 * when trust (`earnedCredit`) holds the credit under two batches, so that a tab trusted with 2 Workers and a
 * credit of 2 gets its second item at once instead of after its first answer.
 */
export const wholeBatch = (batch: number, credit: number): number =>
  Math.max(1, Math.min(batch, Math.ceil(credit / BATCHES_IN_FLIGHT)))

/**
 * What a peer trusted with `workers` Workers may hold before it answered anything: `UNPROVEN_CREDIT` per
 * Worker, the Workers bounded by `MAX_TAB_WORKERS` (and at least one).
 */
export const unprovenCredit = (workers: number): number =>
  UNPROVEN_CREDIT * Math.min(MAX_TAB_WORKERS, Math.max(1, Math.floor(workers)))

function tooLarge(job: Job, maxChars: number): Outcome {
  return { id: job.id, ok: false, error: transportLimitError('item', jsonStringLength(job.value), maxChars) }
}

/**
 * Lends `subStream`'s jobs to a peer: what the lender gives is cut into messages of at most one batch (and
 * `maxMessageChars`) and passed to `send`. The sub-stream's credit is two batches per worker, so one batch
 * travels while the peer computes the other; with `batchSize: 'auto'` the batch follows the peer's speed,
 * and the credit also covers the round trip to it, but never more than the peer will start soon
 * (`startSoonCredit`, SPEC 50: two items per worker of slow items). It never exceeds what the peer earned by
 * answering (`earnedCredit`): a new peer, or a child claiming a thousand workers, starts with a couple of
 * items. When another borrower waits idle, the lender may ask for unstarted items back (`onRecall` of the
 * sub-stream, SPEC 49); what the peer gives back comes in through `giveBack`.
 */
export function lendToRemote(
  subStream: SubStream,
  send: (jobs: Job[]) => void,
  options: RemoteLendingOptions,
): RemoteBorrower {
  return new RemoteLending(subStream, send, options)
}

/**
 * One peer lent to (see `lendToRemote`): the outcomes it sent, waiting for the sub-stream's sink; its credit,
 * from its batch sizing, its Workers and the trust it earned; and the reading of the sub-stream's jobs in
 * whole batches, packed into messages.
 */
class RemoteLending implements RemoteBorrower {
  readonly #subStream: SubStream
  readonly #send: (jobs: Job[]) => void
  readonly #options: RemoteLendingOptions
  readonly #sizing: BatchSizing
  /** Room for jobs in a message, in characters of JSON: `maxMessageChars` less the envelope. */
  readonly #room: number
  readonly #maxItemChars: number
  /** Outcomes received, waiting for the sub-stream's sink to read them. */
  readonly #inbox: Outcome[][] = []
  /** The sub-stream's sink's read, waiting for outcomes. */
  #waiting: SourceCallback<Outcome[]> | undefined
  #closed = false
  /** Items the peer answered (outcomes for items it held; strays earn nothing). */
  #answered = 0
  /** What the peer may hold before it answered anything (`unprovenCredit`). */
  readonly #unproven: number
  /** No Worker behind the peer now (paused): it gets nothing. */
  #noWorkers: boolean
  /** A read of the sub-stream's jobs is waiting for its answer. */
  #reading = false
  /** The sub-stream's source ended: it lends no more jobs. */
  #ended = false

  constructor(subStream: SubStream, send: (jobs: Job[]) => void, options: RemoteLendingOptions) {
    this.#subStream = subStream
    this.#send = send
    this.#options = options
    this.#sizing = batchSizing(options.batchSize, options.workers, options.clock)
    this.#room = (options.maxMessageChars ?? Number.POSITIVE_INFINITY) - WIRE_ENVELOPE_CHARS
    this.#maxItemChars = options.maxItemChars ?? Number.POSITIVE_INFINITY
    this.#unproven = unprovenCredit(options.unprovenWorkers ?? 1)
    this.#noWorkers = options.workers === 0
    this.#updateCredit()
    pull(this.#outcomes, subStream.sink)
    this.#read()
  }

  receive(received: readonly Outcome[], msPerItem?: number): void {
    if (this.#closed) return
    if (msPerItem !== undefined) this.#sizing.reported(msPerItem)
    if (received.length === 0) return this.#updateCredit()
    const heldBefore = this.#subStream.held
    this.#inbox.push([...received])
    this.#wake()
    this.#answered += Math.max(0, heldBefore - this.#subStream.held)
    this.#sizing.received(received.length, this.#subStream.held)
    this.#updateCredit()
    this.#read()
  }

  giveBack(ids: readonly number[]): void {
    if (this.#closed || ids.length === 0) return
    this.#subStream.giveBack(ids)
    this.#updateCredit()
    this.#read()
  }

  setWorkers(workers: number): void {
    this.#noWorkers = workers === 0
    this.#sizing.setWorkers(workers)
    this.#updateCredit()
    this.#read()
  }

  close(reason?: Error): void {
    if (this.#closed) return
    this.#closed = true
    this.#subStream.close(reason)
    this.#wake()
  }

  /** The outcomes received, read by the sub-stream's sink; it ends once the peer is closed. */
  readonly #outcomes: Source<Outcome[]> = (abort, cb) => {
    if (abort) return cb(true)
    const next = this.#inbox.shift()
    if (next !== undefined) cb(null, next)
    else if (this.#closed) cb(true)
    else this.#waiting = cb
  }

  /** Answers the sub-stream's sink's waiting read, if any. */
  #wake(): void {
    const cb = this.#waiting
    if (cb === undefined) return
    this.#waiting = undefined
    this.#outcomes(null, cb)
  }

  /** Sets the sub-stream's credit: the sizing's, bounded by the trust earned; none without Workers. */
  #updateCredit(): void {
    if (this.#options.roundTrip !== undefined) this.#sizing.setRoundTrip(this.#options.roundTrip())
    const credit = this.#noWorkers
      ? 0
      : Math.min(this.#sizing.credit, earnedCredit(this.#answered, this.#unproven))
    if (!this.#closed && this.#subStream.credit !== credit) this.#subStream.setCredit(credit)
  }

  /**
   * Reads jobs from the sub-stream once a whole batch of credit is free (or the peer holds nothing), so that
   * messages carry whole batches, not the few jobs each answer frees.
   */
  #read(): void {
    const subStream = this.#subStream
    if (this.#reading || this.#ended || this.#closed) return
    if (
      subStream.held > 0 &&
      subStream.credit - subStream.held < wholeBatch(this.#sizing.batch, subStream.credit)
    )
      return
    this.#reading = true
    subStream.source(null, (end, jobs) => {
      this.#reading = false
      if (end) this.#ended = true
      else if (jobs !== undefined) {
        this.#lend(jobs)
        this.#read()
      }
    })
  }

  /** Sends the jobs the sub-stream lent, packed into messages of at most a batch and `maxMessageChars`. */
  #lend(jobs: Job[]): void {
    const heldBefore = this.#subStream.held - jobs.length
    const fitting = this.#maxItemChars === Number.POSITIVE_INFINITY ? jobs : this.#answerTooLarge(jobs)
    this.#sizing.sent(fitting.length, heldBefore)
    const send = this.#send
    for (const group of packByLength(fitting, this.#room, jobJsonLength, this.#sizing.batch)) send(group)
  }

  /** The jobs the link carries; the others are answered at once. */
  #answerTooLarge(jobs: Job[]): Job[] {
    const maxItemChars = this.#maxItemChars
    const fitting = jobs.filter((job) => jsonStringLength(job.value) <= maxItemChars)
    if (fitting.length === jobs.length) return jobs
    const sent = new Set(fitting)
    const refused = jobs.filter((job) => !sent.has(job)).map((job) => tooLarge(job, maxItemChars))
    void Promise.resolve().then(() => this.receive(refused))
    return fitting
  }
}
