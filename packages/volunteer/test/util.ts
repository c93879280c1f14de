// Test doubles shared by the unit tests.
import type { Job, Outcome } from '@pando/protocol'
import type { BatchResult } from '../src/worker-api.ts'
import type { WorkerClient } from '../src/worker-client.ts'
import { NO_FIGURES } from '../src/worker-figures.ts'

/** A WebSocket stand-in the test opens, feeds and closes by hand. */
export class FakeSocket extends EventTarget {
  static readonly OPEN = 1
  static readonly instances: FakeSocket[] = []
  readonly OPEN = 1
  readonly url: string
  readyState = 0
  readonly sent: string[] = []

  constructor(url: string) {
    super()
    this.url = url
    FakeSocket.instances.push(this)
  }

  open(): void {
    this.readyState = 1
    this.dispatchEvent(new Event('open'))
  }

  receive(data: string): void {
    this.dispatchEvent(Object.assign(new Event('message'), { data }))
  }

  send(data: string): void {
    this.sent.push(data)
  }

  close(code = 1005, reason = ''): void {
    if (this.readyState === 3) return
    this.readyState = 3
    this.dispatchEvent(Object.assign(new Event('close'), { code, reason }))
  }
}

/** A {@link ScriptedWorker}'s record of what it was asked. */
export interface ScriptedWorkerLog {
  /** The ids of each batch, in order. */
  readonly batches: number[][]
  terminated: boolean
  /** Set once it runs a `loop` item: its event loop is taken, it answers nothing more. */
  stuck: boolean
}

/**
 * A stand-in for a `WorkerClient`, on the (fake) timers, whose jobs say what they do: `N:MS` squares N after
 * MS ms (and reports it as progress, and MS as its own time in the batch's figures), `wait` never settles but leaves the event loop free (it answers pings),
 * `loop` is an endless synchronous loop: from it on nothing of the batch settles and nothing answers.
 * Without `progress`, a Worker that reports no outcome before its batch ends (as one of a single item).
 */
export function scriptedWorker({ progress = true } = {}): WorkerClient & ScriptedWorkerLog {
  const log: ScriptedWorkerLog = { batches: [], terminated: false, stuck: false }
  const live = (): boolean => !log.stuck && !log.terminated
  const fake = Object.assign(log, {
    // A plain property: a getter would be copied as its value.
    failed: false,
    process(jobs: readonly Job[], onProgress?: (outcomes: readonly Outcome[]) => void): Promise<BatchResult> {
      log.batches.push(jobs.map((job) => job.id))
      return new Promise((resolve) => {
        const outcomes: Outcome[] = []
        // Each item's own time is its MS: the figures of a batch that ends.
        let ownTime = 0
        const settle = (outcome: Outcome, ms: number): void => {
          if (!live()) return
          outcomes.push(outcome)
          ownTime += ms
          if (progress) onProgress?.([outcome])
          if (outcomes.length === jobs.length) {
            resolve({
              outcomes,
              figures: { ...NO_FIGURES, items: outcomes.length, itemTime: ownTime, ownTime },
            })
          }
        }
        for (const job of jobs) {
          if (job.value === 'loop') {
            log.stuck = true
            return
          }
          if (job.value === 'wait') continue
          const [value = '', delay = '0'] = job.value.split(':')
          const result = String(Number(value) ** 2)
          setTimeout(() => settle({ id: job.id, ok: true, result }, Number(delay)), Number(delay))
        }
      })
    },
    ping: (): Promise<void> => (live() ? Promise.resolve() : new Promise<void>(() => undefined)),
    terminate(): void {
      log.terminated = true
      fake.failed = true
    },
  })
  return fake as unknown as WorkerClient & ScriptedWorkerLog
}
