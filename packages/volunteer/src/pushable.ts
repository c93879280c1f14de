import type { Abort, Source, SourceCallback } from 'pull-stream'
import { takeFromBack } from './take-from-back.ts'

/** A pull-stream source fed by hand: values pushed wait in a queue until read. */
export interface Pushable<T> {
  readonly source: Source<T>
  /** Queues a value (dropped after `end()` or an abort). */
  push(value: T): void
  /** Ends the source once the queued values are read. Idempotent. */
  end(): void
  /** Takes back up to `count` queued values not read yet, the last pushed first; all of them by default. */
  takeBack(count?: number): T[]
}

/** Creates a {@link Pushable}. */
export function createPushable<T>(): Pushable<T> {
  const queue: T[] = []
  let ended = false
  let waiting: SourceCallback<T> | undefined

  const answer = (): void => {
    const cb = waiting
    if (cb === undefined) return
    if (queue.length > 0) {
      waiting = undefined
      cb(null, queue.shift())
    } else if (ended) {
      waiting = undefined
      cb(true)
    }
  }
  const source: Source<T> = (abort: Abort, cb: SourceCallback<T>) => {
    if (abort) {
      ended = true
      queue.length = 0
      const pending = waiting
      waiting = undefined
      pending?.(abort)
      cb(abort)
      return
    }
    waiting = cb
    answer()
  }
  return {
    source,
    push(value) {
      if (ended) return
      queue.push(value)
      answer()
    },
    end() {
      ended = true
      answer()
    },
    takeBack(count = queue.length) {
      return takeFromBack(queue, count)
    },
  }
}
