import type { Job } from '@pando/protocol'
import type { Settled } from '@pando/scheduler'
import type { EndOrError, Source, SourceCallback } from 'pull-stream'
import { RECALLED_WINDOW } from '../constants.ts'

/** Where an item's outcome came from. */
export type OutcomeOrigin = 'journal' | 'cache' | 'computed'

/** An outcome known without computing it. */
export interface Recalled {
  readonly settled: Settled
  readonly origin: Exclude<OutcomeOrigin, 'computed'>
}

/**
 * Looks up the outcome of a job known from an earlier run: undefined when it must be computed, an Error
 * when the job cannot be used (its input differs from the journaled one): the items end with it.
 */
export type RecallJob = (job: Job) => Recalled | Error | undefined

/**
 * Lets the items whose outcome is known skip the lender: `fresh` is the lender's input, the jobs it must
 * lend (recalled ones are kept aside as they are read), and `merge` puts the recalled outcomes back among the
 * lender's results, in input order. `onOutcome` sees every outcome as it is emitted, and where it came from.
 */
export function recallOutcomes(
  jobs: Source<Job>,
  recall: RecallJob,
  onOutcome: (settled: Settled, origin: OutcomeOrigin) => void,
): { fresh: Source<Job>; merge(results: Source<Settled>): Source<Settled> } {
  const aside: RecalledAside = { known: new Map(), next: 0, paused: undefined, recalledOne: undefined }
  return {
    fresh: jobsToLend(jobs, recall, aside),
    merge: (results) => mergeRecalled(results, aside, onOutcome),
  }
}

/** The recalled outcomes kept aside, shared by the two halves of {@link recallOutcomes}. */
interface RecalledAside {
  readonly known: Map<number, Recalled>
  /** The position of the next outcome to emit. */
  next: number
  /** A read of the jobs to lend paused because `known` is full, resumed as it empties. */
  paused: (() => void) | undefined
  /** A wake-up for the merge when an outcome is recalled. */
  recalledOne: (() => void) | undefined
}

/** The jobs whose outcome is not recalled; the recalled ones are set aside as they are read. */
function jobsToLend(jobs: Source<Job>, recall: RecallJob, aside: RecalledAside): Source<Job> {
  const { known } = aside
  return (abort, cb) => {
    if (abort) {
      jobs(abort, cb)
      return
    }
    // A loop, not recursion: a long run of recalled items is read without growing the stack.
    const step = (): void => {
      for (;;) {
        if (known.size >= RECALLED_WINDOW) {
          aside.paused = () => {
            aside.paused = undefined
            step()
          }
          return
        }
        let inCall = true
        let readOn = false
        jobs(null, (end, job) => {
          if (end || job === undefined) return cb(end ?? true)
          const recalled = recall(job)
          if (recalled === undefined) return cb(null, job)
          if (recalled instanceof Error) {
            jobs(true, () => undefined)
            return cb(recalled)
          }
          known.set(job.id, recalled)
          aside.recalledOne?.()
          if (inCall) readOn = true
          else step()
        })
        inCall = false
        if (!readOn) return
      }
    }
    step()
  }
}

/** The lender's results with the recalled outcomes set `aside` put back among them, in input order. */
function mergeRecalled(
  results: Source<Settled>,
  aside: RecalledAside,
  onOutcome: (settled: Settled, origin: OutcomeOrigin) => void,
): Source<Settled> {
  const { known } = aside
  let head: Settled | undefined
  let ended: EndOrError | null = null
  let reading = false
  let waiting: SourceCallback<Settled> | undefined
  const emit = (settled: Settled, origin: OutcomeOrigin): void => {
    const cb = waiting
    waiting = undefined
    aside.next++
    onOutcome(settled, origin)
    cb?.(null, settled)
  }
  const serve = (): void => {
    if (waiting === undefined) return
    const recalled = known.get(aside.next)
    if (recalled !== undefined) {
      known.delete(aside.next)
      emit(recalled.settled, recalled.origin)
      aside.paused?.()
      return
    }
    if (head !== undefined) {
      if (head.id !== aside.next) return // the items before it are being recalled
      const settled = head
      head = undefined
      return emit(settled, 'computed')
    }
    if (ended !== null) {
      const cb = waiting
      waiting = undefined
      return cb(ended)
    }
    if (reading) return
    reading = true
    results(null, (end, settled) => {
      reading = false
      if (end) ended = end
      else head = settled
      serve()
    })
  }
  aside.recalledOne = serve
  return (abort, cb) => {
    if (abort) {
      results(abort, () => cb(abort))
      return
    }
    waiting = cb
    serve()
  }
}

/**
 * {@link recallOutcomes} when nothing can be recalled (a journal without items, no cache): every job goes to
 * the lender, and `onOutcome` sees each of its results as it passes, with nothing else done per item.
 */
export function recordOutcomes(
  jobs: Source<Job>,
  onOutcome: (settled: Settled, origin: OutcomeOrigin) => void,
): { fresh: Source<Job>; merge(results: Source<Settled>): Source<Settled> } {
  const merge =
    (results: Source<Settled>): Source<Settled> =>
    (abort, cb) => {
      results(abort, (end, settled) => {
        if (!end && settled !== undefined) onOutcome(settled, 'computed')
        cb(end, settled)
      })
    }
  return { fresh: jobs, merge }
}
