// A tab's work under its parent while its volunteer pauses it: what goes back to the parent, what its children get.
import type { ChildInfo, PeerChannel } from '@pando/overlay'
import { parseTreeWorkMessage, type Job, type Outcome, type TreeWorkMessage } from '@pando/protocol'
import { describe, expect, it } from 'vitest'
import { ParentWork } from '../src/parent-work.ts'

const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0))
const jobs = (count: number, from = 0): Job[] =>
  Array.from({ length: count }, (_, i) => ({ id: from + i, value: String(from + i) }))
const ids = (list: readonly Job[]): number[] => list.map((job) => job.id).sort((a, b) => a - b)
const returned = (sent: readonly TreeWorkMessage[]): number[] =>
  sent.flatMap((message) => (message.type === 'return' ? message.ids : [])).sort((a, b) => a - b)

/** A tab's parent work whose runner queues what it gets (nothing starts) and gives its queue back when recalled. */
function parentWork(options: { workers?: number; paused?: boolean } = {}) {
  const queue: Job[] = []
  const sent: TreeWorkMessage[] = []
  let answer: (outcomes: Outcome[]) => void = () => undefined
  const work = new ParentWork(
    { batchSize: 'auto', ...options },
    {
      sendUp: (message) => sent.push(message),
      createRunner: (onOutcomes) => {
        answer = onOutcomes
        return {
          add: (added) => queue.push(...added),
          close: () => undefined,
          recall: (count) => queue.splice(Math.max(0, queue.length - count)),
        }
      },
    },
  )
  return { work, queue, sent, answer: (outcomes: Outcome[]) => answer(outcomes) }
}

/** A child link that records the jobs sent down it. */
function child(workers: number): { info: ChildInfo; got: Job[] } {
  const got: Job[] = []
  const channel = {
    state: 'open',
    send: (message: unknown) => {
      const work = parseTreeWorkMessage(message)
      if (work?.type === 'jobs') got.push(...work.jobs)
    },
    close: () => undefined,
  } as unknown as PeerChannel
  return { info: { index: 0, id: 'c', channel, size: 1, pending: 0, workers, roundTripMs: 0 }, got }
}

describe('ParentWork, paused', () => {
  it('gives back up every item it holds unstarted, its Workers queue included, and lends them nothing more', async () => {
    const { work, queue, sent } = parentWork()
    work.receiveJobs(jobs(5))
    await settle()
    expect(ids(queue)).toEqual([0]) // a new runner holds one item until it answers
    work.setPaused(true)
    expect(queue).toEqual([])
    expect(returned(sent)).toEqual([0, 1, 2, 3, 4])
    expect(work.held).toBe(0)
    // Jobs sent meanwhile (in flight before the parent heard of the pause) wait; its Workers get none.
    work.receiveJobs(jobs(3, 5))
    await settle()
    expect(queue).toEqual([])
    expect(work.returnWaiting()).toBe(3)
    expect(returned(sent)).toEqual([0, 1, 2, 3, 4, 5, 6, 7])
    expect(work.held).toBe(0)
  })

  it('sends no return when it holds nothing unstarted, and lends to its Workers again once resumed', async () => {
    const { work, queue, sent } = parentWork({ workers: 2, paused: true })
    work.receiveJobs(jobs(4))
    await settle()
    expect(queue).toEqual([]) // paused from the start: its Workers get nothing
    work.setPaused(false)
    await settle()
    expect(ids(queue)).toEqual([0, 1]) // one per Worker until they answer
    expect(sent).toEqual([])
    work.setPaused(false) // no change: nothing happens
    expect(sent).toEqual([])
  })

  it('keeps relaying to its children: its Workers queue goes to a child waiting, the rest up to the parent', async () => {
    const { work, queue, sent } = parentWork()
    const { info, got } = child(4)
    work.addChild(info)
    work.receiveJobs(jobs(3))
    await settle()
    // The child starts with one item (unproven), the tab's own Worker with one; one waits in the tab.
    expect(got).toHaveLength(1)
    expect(queue).toHaveLength(1)
    // The child answers: it may now take more, and is lent the item waiting.
    const first = got[0] as Job
    work.receiveOutcomes(info.channel, [{ id: first.id, ok: true, result: first.value }])
    await settle()
    expect(got).toHaveLength(2)
    work.setPaused(true)
    // Its own Worker's item goes to the child, which waits with free credit; nothing is left to return.
    expect(ids(got)).toEqual([0, 1, 2])
    expect(returned(sent)).toEqual([])
    // Jobs the parent sends now go to the child only, as its credit allows; the rest waits for it, as in
    // any relay (its subtree has Workers: nothing goes back).
    work.receiveJobs(jobs(2, 3))
    await settle()
    expect(queue).toEqual([])
    expect(ids(got)).toEqual([0, 1, 2, 3])
    expect(work.held).toBe(4)
    expect(returned(sent)).toEqual([])
  })

  it('answers a recall with what waits in its own lender too, not only what it has not read yet', async () => {
    const { work, sent } = parentWork()
    work.receiveJobs(jobs(2))
    await settle()
    work.setPaused(true)
    expect(returned(sent)).toEqual([0, 1])
    work.receiveJobs(jobs(2, 2))
    work.recall(5)
    expect(sent.at(-1)).toEqual({ type: 'return', ids: [2, 3] })
    work.recall(5)
    expect(sent.at(-1)).toEqual({ type: 'return', ids: [] })
  })
})
