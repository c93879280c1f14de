import type { Job } from '@pando/protocol'
import type { Abort, EndOrError, Source } from 'pull-stream'
import { StreamMisuseError } from './errors.ts'

/** Receives an answer the input gave asynchronously: a job, or `undefined` once it ended (see `ended`). */
export type OnLateAnswer = (job: Job | undefined) => void

const ignore = (): void => {}

/**
 * The lender's hold on its input source. It reads one job at a time and only when asked, never calls the
 * source again before its callback, and tells a synchronous answer (returned by `read`) from an asynchronous
 * one (passed to `onLateAnswer`), so the lender can fill a batch in one go when the source allows it.
 */
export class InputReader {
  private source: Source<Job> | undefined
  private reading = false
  /** An abort asked for while a read was in flight or before the source was connected. */
  private pendingAbort: { reason: Abort; done: () => void } | undefined
  ended = false
  error: Error | undefined

  constructor(private readonly onLateAnswer: OnLateAnswer) {}

  /** Whether `read` may be called now: connected, not ended, no read in flight. */
  get ready(): boolean {
    return this.source !== undefined && !this.reading && !this.ended
  }

  connect(source: Source<Job>): void {
    if (this.source !== undefined) throw new StreamMisuseError('the lender sink is already connected')
    this.source = source
    if (this.pendingAbort !== undefined) this.abortNow(this.pendingAbort.reason, this.pendingAbort.done)
  }

  /**
   * Reads one job. Returns it when the source answers synchronously; otherwise returns `undefined` and the
   * answer goes to `onLateAnswer`. After an end (or error) `ended` is true.
   */
  read(): Job | undefined {
    const source = this.source as Source<Job>
    let sync = true
    let answer: Job | undefined
    this.reading = true
    source(null, (end, job) => {
      this.reading = false
      if (this.pendingAbort !== undefined) return this.abortAfterRead(end)
      if (end) this.end(end)
      const got = end ? undefined : job
      if (sync) answer = got
      else this.onLateAnswer(got)
    })
    sync = false
    return answer
  }

  /** Aborts the source (after the read in flight answers, if any); `done` is called once it acknowledged. */
  abort(reason: Abort, done: () => void): void {
    if (this.ended) return done()
    if (this.source === undefined || this.reading) {
      this.pendingAbort = { reason, done: this.source === undefined ? ignore : done }
      if (this.source === undefined) {
        this.ended = true
        done()
      }
      return
    }
    this.abortNow(reason, done)
  }

  /** The read in flight when the abort came has answered: abort, unless it answered with the end. */
  private abortAfterRead(end: EndOrError): void {
    const { reason, done } = this.pendingAbort as { reason: Abort; done: () => void }
    if (!end) return this.abortNow(reason, done)
    this.pendingAbort = undefined
    this.ended = true
    done()
  }

  private abortNow(reason: Abort, done: () => void): void {
    this.pendingAbort = undefined
    this.ended = true
    ;(this.source as Source<Job>)(reason, () => done())
  }

  private end(end: EndOrError): void {
    this.ended = true
    if (end !== true) this.error = end instanceof Error ? end : new Error(String(end))
  }
}
