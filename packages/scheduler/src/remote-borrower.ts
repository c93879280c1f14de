import type { Job, Outcome } from '@pando/protocol'
import type { SubStream } from './types.ts'
import pull, { type Source, type SourceCallback } from 'pull-stream'

/** The lender's side of a borrower reached by messages (a volunteer's WebSocket, a data channel). */
export interface RemoteBorrower {
  /** Hands outcomes received from the peer to the lender. */
  receive(outcomes: readonly Outcome[]): void
  /** The peer is gone: the jobs it held are lent again. Idempotent. */
  close(reason?: Error): void
}

/**
 * Lends `subStream`'s jobs to a peer: each batch the lender gives is cut into messages of at most
 * `maxBatch` jobs and passed to `send`, so that with a credit of two batches one batch travels while the
 * peer computes the other.
 */
export function lendToRemote(
  subStream: SubStream,
  send: (jobs: Job[]) => void,
  maxBatch: number,
): RemoteBorrower {
  const inbox: Outcome[][] = []
  let waiting: SourceCallback<Outcome[]> | undefined
  let closed = false

  const outcomes: Source<Outcome[]> = (abort, cb) => {
    if (abort) return cb(true)
    const next = inbox.shift()
    if (next !== undefined) cb(null, next)
    else if (closed) cb(true)
    else waiting = cb
  }
  const wake = (): void => {
    const cb = waiting
    if (cb === undefined) return
    waiting = undefined
    outcomes(null, cb)
  }

  pull(outcomes, subStream.sink)
  pull(
    subStream.source,
    pull.drain(
      (jobs: Job[]) => {
        for (let start = 0; start < jobs.length; start += maxBatch) send(jobs.slice(start, start + maxBatch))
      },
      () => undefined,
    ),
  )
  return {
    receive(received) {
      if (closed || received.length === 0) return
      inbox.push([...received])
      wake()
    },
    close(reason) {
      if (closed) return
      closed = true
      subStream.close(reason)
      wake()
    },
  }
}
