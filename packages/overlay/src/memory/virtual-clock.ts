import { InvariantError } from '@pando/protocol'
import type { Clock, TimerHandle } from '../clock.ts'

interface Timer {
  readonly at: number
  readonly order: number
  callback: (() => void) | undefined
}

/** When a {@link VirtualClock.run} stops. */
export interface RunOptions {
  /** Stop as soon as this returns true (checked after every timer); keep it cheap. */
  readonly until?: () => boolean
  /** Stop once virtual time would pass now + `forMs`; the clock then reads now + `forMs`. */
  readonly forMs?: number
  /** Stop after this many timers, a guard against runs that never end. @default 10,000,000 */
  readonly maxTimers?: number
}

/**
 * A clock whose time moves only when {@link VirtualClock.run} runs its timers, in time order (then in the
 * order they were set). A simulated second costs what its timers cost, so thousands of nodes with
 * latencies and timeouts run in real milliseconds, and a seeded run replays exactly.
 */
export class VirtualClock implements Clock {
  private time: number
  private readonly heap: Timer[] = []
  private order = 0
  private live = 0

  constructor(start = 0) {
    this.time = start
  }

  now(): number {
    return this.time
  }

  /** Timers set and not yet run or cleared. */
  get pending(): number {
    return this.live
  }

  setTimeout(callback: () => void, ms: number): TimerHandle {
    const timer: Timer = { at: this.time + Math.max(0, ms), order: this.order++, callback }
    this.push(timer)
    this.live++
    return timer
  }

  clearTimeout(handle: TimerHandle): void {
    const timer = handle as Timer | undefined
    if (timer?.callback === undefined) return
    timer.callback = undefined
    this.live--
  }

  /** Runs timers until none is left or an option stops it; returns how many ran. */
  run(options: RunOptions = {}): number {
    const deadline = options.forMs === undefined ? Number.POSITIVE_INFINITY : this.time + options.forMs
    const maxTimers = options.maxTimers ?? 10_000_000
    let ran = 0
    while (this.heap.length > 0 && !(options.until?.() ?? false)) {
      const next = this.heap[0] as Timer
      if (next.at > deadline) break
      if (ran >= maxTimers) throw new InvariantError(`virtual clock: more than ${String(maxTimers)} timers`)
      this.pop()
      const callback = next.callback
      if (callback === undefined) continue
      next.callback = undefined
      this.live--
      this.time = next.at
      ran++
      callback()
    }
    if (deadline !== Number.POSITIVE_INFINITY && !(options.until?.() ?? false)) this.time = deadline
    return ran
  }

  private push(timer: Timer): void {
    const heap = this.heap
    let i = heap.length
    heap.push(timer)
    while (i > 0) {
      const parent = (i - 1) >> 1
      const above = heap[parent] as Timer
      if (!before(timer, above)) break
      heap[i] = above
      i = parent
    }
    heap[i] = timer
  }

  private pop(): void {
    const heap = this.heap
    const last = heap.pop() as Timer
    if (heap.length === 0) return
    let i = 0
    for (;;) {
      const left = 2 * i + 1
      if (left >= heap.length) break
      const right = left + 1
      const child = right < heap.length && before(heap[right] as Timer, heap[left] as Timer) ? right : left
      if (!before(heap[child] as Timer, last)) break
      heap[i] = heap[child] as Timer
      i = child
    }
    heap[i] = last
  }
}

function before(a: Timer, b: Timer): boolean {
  return a.at < b.at || (a.at === b.at && a.order < b.order)
}

/** Creates a {@link VirtualClock} reading `start` ms. */
export function createVirtualClock(start = 0): VirtualClock {
  return new VirtualClock(start)
}
