import type { LenderClock } from './clock.ts'
import { Deque } from './deque.ts'

/**
 * Times a remote borrower's computing from what is sent to it and what comes back, for `adaptiveBatchSizing`:
 * it tells the time the borrower computed apart from the time jobs and answers travel by the round trip.
 * Answers come back in the order the jobs were sent (FIFO, near enough), and the borrower started on an
 * answer's jobs half a round trip after the first of them was sent, or when it finished the previous answer
 * if that was later; it finished half a round trip before the answer came. A sample is the time computed per
 * answer while at least half a batch of answers came back (answers split over several messages make one).
 */
export interface AnswerTiming {
  /** `count` jobs were sent to a borrower that held `heldBefore`. */
  sent(count: number, heldBefore: number): void
  /**
   * `count` answers came back, after which the borrower holds `heldAfter`, the round trip to it being
   * `roundTripMs` (0 when unknown: travel then counts as computing) and its batch `batch`: returns the
   * sample these answers complete, in ms per item (0 when it computed none of the time), or undefined.
   */
  received(count: number, heldAfter: number, roundTripMs: number, batch: number): number | undefined
}

/** Creates an {@link AnswerTiming} on `clock`. */
export function answerTiming(clock: LenderClock): AnswerTiming {
  /** Jobs sent and not answered, by message, oldest first: when, and how many of its jobs are left. */
  const unanswered = new Deque<{ readonly at: number; left: number }>()
  /** When the borrower finished its last answer, by the estimate above; undefined while it holds nothing. */
  let finishedAt: number | undefined
  /** The current sample: computing time and answers. */
  let busyMs = 0
  let answers = 0
  /** The borrower holds nothing: what it was sent before tells nothing of when it starts next. */
  const forget = (): void => {
    unanswered.clear()
    finishedAt = undefined
  }
  /** Takes `answered` jobs off the oldest messages; returns when the first of them was sent. */
  const answer = (answered: number, now: number): number => {
    let firstSentAt = unanswered.peek()?.at ?? now
    for (let left = answered; left > 0;) {
      const oldest = unanswered.peek()
      if (oldest === undefined) break
      firstSentAt = Math.min(firstSentAt, oldest.at)
      const taken = Math.min(left, oldest.left)
      oldest.left -= taken
      left -= taken
      if (oldest.left === 0) unanswered.shift()
    }
    return firstSentAt
  }
  /** The sample, once at least half a batch of answers (and at least one) make it; it then starts anew. */
  const takeSample = (batch: number): number | undefined => {
    if (answers < Math.max(1, batch / 2)) return undefined
    const sample = busyMs / answers
    busyMs = 0
    answers = 0
    return sample
  }
  return {
    sent(count, heldBefore) {
      if (count <= 0) return
      if (heldBefore === 0) forget()
      unanswered.push({ at: clock.now(), left: count })
    },
    received(count, heldAfter, roundTripMs, batch) {
      if (count <= 0) return undefined
      const now = clock.now()
      const firstSentAt = answer(count, now)
      const finished = now - roundTripMs / 2
      const started = Math.max(firstSentAt + roundTripMs / 2, finishedAt ?? Number.NEGATIVE_INFINITY)
      // Answers that came back within the round trip measured tell nothing of the borrower's speed: the
      // round trip was measured longer than it is (a busy machine's late event loops), and taking them as
      // free made a borrower holding more look faster, and earn more, without end.
      const tellsNothing = roundTripMs > 0 && finished <= started
      if (!tellsNothing) {
        busyMs += Math.max(0, finished - started)
        answers += count
      }
      finishedAt = Math.max(finished, finishedAt ?? Number.NEGATIVE_INFINITY)
      const sample = takeSample(batch)
      if (heldAfter === 0) forget()
      return sample
    },
  }
}
