// Doubles for the lender's tests: job sources that count their reads, a pushable source, and borrowers
// driven by hand or by a virtual clock.
import type { Job, Outcome } from '@pando/protocol'
import pull from 'pull-stream'
import type { Abort, EndOrError, Source, SourceCallback } from 'pull-stream'
import type { Lender, Settled, SubStream } from '../src/index.ts'

export const job = (i: number): Job => ({ id: i, value: String(i) })
export const jobs = (n: number): Job[] => Array.from({ length: n }, (_, i) => job(i))
export const negate = (value: string): string => String(-Number(value))
export const success = (j: Job, result = negate(j.value)): Outcome => ({ id: j.id, ok: true, result })
export const failure = (j: Job, message = `failed on ${j.value}`): Outcome => ({
  id: j.id,
  ok: false,
  error: { name: 'Error', message },
})

/** The settled value a borrower computing `negate` gives for item i. */
export const settledOk = (i: number): Settled => ({
  id: i,
  value: String(i),
  ok: true,
  result: negate(String(i)),
})

export interface CountingSource {
  readonly source: Source<Job>
  /** Reads asked (not aborts). */
  readonly reads: () => number
  readonly aborted: () => Abort
}

/**
 * A synchronous source of `n` jobs (endless by default) that counts its reads and fails the test if it is
 * read again before its callback.
 */
export function countingSource(n = Infinity, options: { errorAfter?: number } = {}): CountingSource {
  let reads = 0
  let aborted: Abort = null
  let next = 0
  const source: Source<Job> = (abort, cb) => {
    if (abort) {
      aborted = abort
      return cb(abort)
    }
    reads++
    if (options.errorAfter !== undefined && next >= options.errorAfter) return cb(new Error('input failed'))
    if (next >= n) return cb(true)
    cb(null, job(next++))
  }
  return { source: guarded(source), reads: () => reads, aborted: () => aborted }
}

/** Wraps a source so that a read before the previous callback throws (the pull-stream rule). */
export function guarded<T>(source: Source<T>): Source<T> {
  let busy = false
  return (abort, cb) => {
    if (busy && !abort) throw new Error('source read again before its callback')
    busy = true
    source(abort, (end, data) => {
      busy = false
      cb(end, data)
    })
  }
}

/** An asynchronous source of the given jobs: each answer comes on a later macrotask. */
export function asyncSource(items: Job[]): Source<Job> {
  const values = pull.values(items)
  return guarded((abort, cb) => setImmediate(() => values(abort, cb)))
}

export interface Pushable<T> {
  readonly source: Source<T>
  push(value: T): void
  end(end?: EndOrError): void
  readonly aborted: () => Abort
}

/** A source fed by hand: values queue until read; `end()` ends it once the queue is read. */
export function pushable<T>(): Pushable<T> {
  const queue: T[] = []
  let ended: EndOrError = null
  let aborted: Abort = null
  let waiting: SourceCallback<T> | undefined
  const flush = (): void => {
    if (waiting === undefined) return
    const cb = waiting
    if (queue.length > 0) {
      waiting = undefined
      cb(null, queue.shift())
    } else if (ended) {
      waiting = undefined
      cb(ended)
    }
  }
  return {
    source: (abort, cb) => {
      if (abort) {
        aborted = abort
        ended = ended || abort
        return cb(abort)
      }
      waiting = cb
      flush()
    },
    push: (value) => {
      queue.push(value)
      flush()
    },
    end: (end = true) => {
      ended = end
      flush()
    },
    aborted: () => aborted,
  }
}

export interface ManualBorrower {
  /** Every batch the sub-stream gave, in order. */
  readonly batches: Job[][]
  /** The jobs given and not yet answered by this borrower. */
  readonly holding: Map<number, Job>
  /** What the last source read ended with, if it ended. */
  readonly ended: () => EndOrError
  /** Asks the sub-stream for a batch; the answer lands in `batches`. */
  read(): void
  /** Whether a read is waiting for its answer. */
  readonly reading: () => boolean
  /** Sends a batch of outcomes on the sink. */
  answer(outcomes: Outcome[]): void
  /** Answers every held job with success. */
  answerAll(): void
  /** Ends the sink (true) or fails it (an Error). */
  endSink(end?: EndOrError): void
}

/** A borrower whose reads and answers the test makes one by one. */
export function manualBorrower(sub: SubStream): ManualBorrower {
  const batches: Job[][] = []
  const holding = new Map<number, Job>()
  const outcomes = pushable<Outcome[]>()
  let ended: EndOrError = null
  let reading = false
  sub.sink(outcomes.source)
  const answer = (batch: Outcome[]): void => {
    for (const outcome of batch) holding.delete(outcome.id)
    outcomes.push(batch)
  }
  return {
    batches,
    holding,
    ended: () => ended,
    reading: () => reading,
    read: () => {
      reading = true
      sub.source(null, (end, batch) => {
        reading = false
        if (end) ended = end
        else for (const j of batch ?? []) holding.set(j.id, j)
        if (!end) batches.push(batch ?? [])
      })
    },
    answer,
    answerAll: () => answer([...holding.values()].map((j) => success(j))),
    endSink: (end = true) => outcomes.end(end),
  }
}

/** Pipes a sub-stream through a synchronous function of each job (a borrower as fast as it gets). */
export function syncBorrower(sub: SubStream, answer: (j: Job) => Outcome = (j) => success(j)): void {
  pull(
    sub.source,
    pull.map((batch: Job[]) => batch.map(answer)),
    sub.sink,
  )
}

/** Collects the lender's output; resolves with the values, rejects on an error end. */
export function collect(lender: Lender): Promise<Settled[]> {
  return new Promise((resolve, reject) => {
    pull(
      lender.source,
      pull.collect((err, values) => {
        if (err) reject(err instanceof Error ? err : new Error(String(err)))
        else resolve(values)
      }),
    )
  })
}

/** Reads one value from a source; resolves with `{ end, value }`. */
export function readOnce<T>(source: Source<T>): Promise<{ end: EndOrError; value: T | undefined }> {
  return new Promise((resolve) => source(null, (end, value) => resolve({ end, value })))
}

export interface Collected {
  readonly values: Settled[]
  /** `null` until the output ended, then `true` or its error. */
  readonly end: () => EndOrError
  /** Whether the output ended (normally or with an error). */
  readonly ended: () => boolean
}

/** Reads the lender's output to the end, synchronously as it comes (for runs on a virtual clock). */
export function collectNow(lender: Lender): Collected {
  const values: Settled[] = []
  let end: EndOrError = null
  pull(
    lender.source,
    pull.drain(
      (x: Settled) => {
        values.push(x)
      },
      (err) => {
        end = err ?? true
      },
    ),
  )
  return { values, end: () => end, ended: () => end !== null }
}
