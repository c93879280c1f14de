// A tab's work under its parent, alone: what it lends its own Workers.
import type { Job, Outcome, TreeWorkMessage } from '@pando/protocol'
import { describe, expect, it } from 'vitest'
import { ParentWork } from '../src/parent-work.ts'

const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0))
const jobs = (count: number): Job[] => Array.from({ length: count }, (_, id) => ({ id, value: String(id) }))

function parentWork(workers?: number, batchSize: number | 'auto' = 'auto') {
  const added: Job[][] = []
  const sent: TreeWorkMessage[] = []
  let answer: (outcomes: Outcome[]) => void = () => undefined
  const work = new ParentWork(
    { batchSize, ...(workers === undefined ? {} : { workers }) },
    {
      sendUp: (message) => sent.push(message),
      createRunner: (onOutcomes) => {
        answer = onOutcomes
        return { add: (batch) => added.push([...batch]), close: () => undefined }
      },
    },
  )
  return { work, added, sent, answer: (outcomes: Outcome[]) => answer(outcomes) }
}

describe('ParentWork with several Workers', () => {
  it('lends its own runner one item per Worker at first: 2 Workers start 2 items', async () => {
    const two = parentWork(2)
    two.work.receiveJobs(jobs(20))
    await settle()
    expect(two.added.flat()).toHaveLength(2)
    const one = parentWork()
    one.work.receiveJobs(jobs(20))
    await settle()
    expect(one.added.flat()).toHaveLength(1)
  })

  it('follows the Workers the volunteer sets: two batches per Worker once trusted', async () => {
    const { work, added, answer } = parentWork(1, 4)
    work.receiveJobs(jobs(200))
    await settle()
    // Answers earn it trust (four items per answer) until two batches of 4 are what bound it.
    for (let round = 0; round < 3; round++) {
      const batch = added.splice(0).flat()
      answer(batch.map((job): Outcome => ({ id: job.id, ok: true, result: job.value })))
      await settle()
    }
    expect(added.flat()).toHaveLength(2 * 4)
    work.setRunnerWorkers(4)
    await settle()
    expect(added.flat()).toHaveLength(2 * 4 * 4)
    work.close()
  })
})
