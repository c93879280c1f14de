// Throughput of the lender alone: 1,000,000 items through one synchronous sub-stream, per credit.
// Run: npx tsx packages/scheduler/bench/lender.bench.ts
import type { Job, Outcome } from '@pando/protocol'
import pull from 'pull-stream'
import type { Source } from 'pull-stream'
import { createLender } from '../src/index.ts'

const ITEMS = 1_000_000
const CREDITS = [1, 10, 100]

/** An endless-style synchronous source of jobs, as the root's line reader would give. */
function jobs(count: number): Source<Job> {
  let id = 0
  return (abort, cb) => {
    if (abort) return cb(abort)
    if (id === count) return cb(true)
    const job = { id, value: String(id) }
    id++
    cb(null, job)
  }
}

const answer = (batch: Job[]): Outcome[] => batch.map((job) => ({ id: job.id, ok: true, result: job.value }))

function run(credit: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const lender = createLender()
    const sub = lender.lendStream({ credit, name: 'bench' })
    pull(sub.source, pull.map(answer), sub.sink)
    let emitted = 0
    const start = performance.now()
    pull(
      jobs(ITEMS),
      lender,
      pull.drain(
        () => {
          emitted++
        },
        (err) => {
          if (err) return reject(err instanceof Error ? err : new Error(String(err)))
          if (emitted !== ITEMS) return reject(new Error(`emitted ${String(emitted)} of ${String(ITEMS)}`))
          resolve(ITEMS / ((performance.now() - start) / 1000))
        },
      ),
    )
  })
}

for (const credit of CREDITS) {
  await run(credit) // warm-up
  const rate = await run(credit)
  console.log(`credit ${String(credit).padStart(3)}: ${Math.round(rate).toLocaleString('en-US')} items/s`)
}
