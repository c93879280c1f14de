// Stealing through the real CLI and real sockets (issue 13 §1): an idle volunteer waits while another holds
// items it has not started; the root sends the holder a `recall`, the holder's `return` goes to the idle one.
import { CLOSE_RUN_FINISHED } from '@pando/protocol'
import { expect, describe, it } from 'vitest'
import { FakeVolunteer } from '../support/fake-volunteer.ts'
import { seqLines, startPando, waitForServer } from '../support/pando-process.ts'

const square = (job: { id: number; value: string }) => ({
  id: job.id,
  ok: true as const,
  result: String(Number(job.value) ** 2),
})

describe('stealing over the volunteer WebSocket', () => {
  it('recalls what a volunteer holds for an idle one, lends what it returns there, and ignores ids it never held', async () => {
    const run = startPando(['examples/square-no-delay.js', '--stdin', '--port', '0'])
    const server = await waitForServer(run)
    const holder = new FakeVolunteer(server)
    await holder.join(1, 'holder')
    await run.waitForStderr(/volunteer 'holder' joined/)
    run.child.stdin.end(seqLines(0, 3))
    // A new volunteer holds one item until it answers (earnedCredit); then it is lent the other two.
    await expect.poll(() => holder.jobsReceived()).toBe(1)
    holder.sendOutcomes(holder.jobs().map(square))
    await expect.poll(() => holder.jobsReceived()).toBe(3)

    const idle = new FakeVolunteer(server, { answer: square })
    await idle.join(1, 'idle')
    await expect.poll(() => holder.received.filter((message) => message.type === 'recall')).toHaveLength(1)
    const recall = holder.received.find((message) => message.type === 'recall') as unknown as {
      count: number
    }
    expect(recall.count).toBe(1)
    const [kept, returned] = holder.jobs().slice(1) as [{ id: number; value: string }, { id: number }]
    holder.socket.send(JSON.stringify({ type: 'return', ids: [returned.id, 999] }))
    await expect.poll(() => idle.jobs().map((job) => job.id)).toEqual([returned.id])
    holder.sendOutcomes([square(kept)])

    const result = await run.exited
    expect(result.stdout).toBe(seqLines(0, 3, (n) => String(n * n)))
    expect(result.code).toBe(0)
    // The stray id is ignored: the holder is not closed for it, and finishes with the run (4002).
    expect(await holder.closed()).toBe(CLOSE_RUN_FINISHED)
    expect(result.stderr).not.toMatch(/protocol|dropped|silent for/)
  }, 60_000)
})
