import type { Job, Outcome, TreeWorkMessage } from '@pando/protocol'
import { describe, expect, it } from 'vitest'
import { ParentWork, type JobRunner } from '../src/parent-work.ts'

const jobs = (count: number): Job[] => Array.from({ length: count }, (_, id) => ({ id, value: String(id) }))

/** A tab's parent work whose runner only records what it gets and gives back what it is asked for from its queue. */
function parentWork(): {
  work: ParentWork
  sent: TreeWorkMessage[]
  ran: Job[]
  answer: (outcomes: Outcome[], msPerItem?: number) => void
} {
  const sent: TreeWorkMessage[] = []
  const ran: Job[] = []
  let onOutcomes: (outcomes: Outcome[], msPerItem?: number) => void = () => undefined
  const work = new ParentWork(
    { batchSize: 'auto' },
    {
      sendUp: (message) => sent.push(message),
      createRunner: (callback): JobRunner => {
        onOutcomes = callback
        return { add: (added) => ran.push(...added), close: () => undefined, recall: () => [] }
      },
    },
  )
  return { work, sent, ran, answer: (outcomes, ms) => onOutcomes(outcomes, ms) }
}

describe('ParentWork, stealing', () => {
  it('answers a recall with the jobs it has not lent on yet, the last first, and forgets them', () => {
    const { work, sent, ran } = parentWork()
    work.receiveJobs(jobs(5))
    expect(ran.map((job) => job.id)).toEqual([0]) // a new runner holds one item until it answers
    work.recall(3)
    expect(sent).toEqual([{ type: 'return', ids: [2, 3, 4] }])
    expect(work.held).toBe(2)
    work.recall(10)
    expect(sent.at(-1)).toEqual({ type: 'return', ids: [1] })
    work.recall(1)
    expect(sent.at(-1)).toEqual({ type: 'return', ids: [] }) // nothing unstarted: an empty answer
  })

  it('gives every job it has not lent on back with returnWaiting', () => {
    const { work, sent } = parentWork()
    work.receiveJobs(jobs(4))
    expect(work.returnWaiting()).toBe(3)
    expect(sent).toEqual([{ type: 'return', ids: [1, 2, 3] }])
    expect(work.held).toBe(1)
    expect(work.returnWaiting()).toBe(0)
    expect(sent).toHaveLength(1) // nothing to give back: no message
  })

  it("sends its Worker's own time per item up with the next outcomes", async () => {
    const { work, sent, ran, answer } = parentWork()
    work.receiveJobs(jobs(1))
    answer([{ id: (ran[0] as Job).id, ok: true, result: '0' }], 1_000)
    await Promise.resolve()
    await Promise.resolve()
    expect(sent).toEqual([
      // Named by the tab that computed it (its own Workers: the session's `id`, 'worker' by default).
      { type: 'outcomes', outcomes: [{ id: 0, ok: true, result: '0', by: 'worker' }], msPerItem: 1_000 },
    ])
  })
})
