// A volunteer is a tab, across the tree (scheduler SPEC 52a, 53): what a tab's work under its parent sends up names
// the tab that computed it, and a copy of a replicated item goes to no branch whose tabs all answered it.
import type { ChildInfo, PeerChannel } from '@pando/overlay'
import type { Job, Outcome, TreeWorkMessage } from '@pando/protocol'
import { describe, expect, it } from 'vitest'
import { ParentWork, type JobRunner } from '../src/parent-work.ts'

/** A child link that records the jobs sent down it. */
function child(id: string, index = 0): { info: ChildInfo; down: Job[] } {
  const down: Job[] = []
  const channel = {
    state: 'open',
    send: (message: { type: string; ids?: number[]; values?: string[] }) => {
      if (message.type === 'jobs')
        (message.ids ?? []).forEach((jobId, i) => down.push({ id: jobId, value: message.values?.[i] ?? '' }))
    },
    close: () => undefined,
  } as unknown as PeerChannel
  const info: ChildInfo = { index, id, channel, size: 2, pending: 0, workers: 4, roundTripMs: 0 }
  return { info, down }
}

function parentWork(): {
  work: ParentWork
  sent: TreeWorkMessage[]
  ran: Job[]
  answer: (outcomes: Outcome[]) => void
} {
  const sent: TreeWorkMessage[] = []
  const ran: Job[] = []
  let onOutcomes: (outcomes: Outcome[]) => void = () => undefined
  const work = new ParentWork(
    { id: 'me', batchSize: 4 },
    {
      sendUp: (message) => sent.push(message),
      createRunner: (callback): JobRunner => {
        onOutcomes = callback
        return { add: (added) => ran.push(...added), close: () => undefined, recall: () => [] }
      },
    },
  )
  return { work, sent, ran, answer: (outcomes) => onOutcomes(outcomes) }
}

const flush = async (): Promise<void> => {
  for (let i = 0; i < 5; i++) await Promise.resolve()
}

const outcomesSent = (sent: TreeWorkMessage[]): Outcome[] =>
  sent.flatMap((message) => (message.type === 'outcomes' ? message.outcomes : []))

describe('ParentWork, tabs across the tree', () => {
  it('names its own results by its id, keeps a child’s tab of its subtree, and names the child for any other (a tab of another subtree too)', async () => {
    const { work, sent, ran, answer } = parentWork()
    const c = child('c')
    const d = child('d', 1)
    for (const { info } of [c, d]) work.addChild(info)
    work.setChildTabs(c.info.channel, ['c', 'grandchild'])
    work.receiveJobs([
      { id: 0, value: '0' },
      { id: 1, value: '1' },
      { id: 2, value: '2' },
    ])
    await flush()
    // One item each, at first: the tab's Workers, and each child.
    const [own, toC, toD] = [ran[0], c.down[0], d.down[0]] as [Job, Job, Job]
    answer([{ id: own.id, ok: true, result: 'mine' }])
    work.receiveOutcomes(c.info.channel, [{ id: toC.id, ok: true, result: 'deep', by: 'grandchild' }])
    work.receiveOutcomes(d.info.channel, [{ id: toD.id, ok: true, result: 'forged', by: 'grandchild' }])
    await flush()
    expect(outcomesSent(sent).map((outcome) => [outcome.ok ? outcome.result : '', outcome.by])).toEqual(
      expect.arrayContaining([
        ['mine', 'me'],
        ['deep', 'grandchild'],
        ['forged', 'd'],
      ]),
    )
  })

  it('gives a copy to no branch its avoid names, and gives it back when no branch may take it', async () => {
    const { work, sent, ran } = parentWork()
    // No child: a copy this tab answered already has nowhere to go.
    work.receiveJobs([{ id: 64, value: '1', avoid: ['me'] }])
    expect(sent).toEqual([{ type: 'return', ids: [64] }])
    expect(work.held).toBe(0)
    // With a child whose subtree has a tab the copy may use, it goes down, never to this tab's Workers.
    const { info, down } = child('c')
    work.addChild(info)
    work.setChildTabs(info.channel, ['c', 'g'])
    work.receiveJobs([{ id: 65, value: '1', avoid: ['me', 'c'] }])
    await flush()
    expect(ran).toEqual([])
    expect(down.map((job) => job.id)).toEqual([65])
    // A copy every tab of which answered goes back at once.
    work.receiveJobs([{ id: 66, value: '1', avoid: ['me', 'c', 'g'] }])
    expect(sent.at(-1)).toEqual({ type: 'return', ids: [66] })
    // The child leaves holding 65: no branch may take it any more, so it goes back up.
    work.removeChild(info.channel)
    expect(sent.at(-1)).toEqual({ type: 'return', ids: [65] })
    expect(work.held).toBe(0)
  })
})
