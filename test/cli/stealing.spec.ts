// Stealing through the real CLI and real sockets (issue 13 §1): an idle volunteer waits while another holds
// items it has not started; the root sends the holder a `recall`, the holder's `return` goes to the idle one.
import { CLOSE_RUN_FINISHED } from '@pando/protocol'
import { expect, describe, it } from 'vitest'
import { FakeVolunteer } from '../support/fake-volunteer.ts'
import { seqLines, startPando, waitForServer } from '../../harness/pando-process.ts'
import { volunteerReport } from '../support/volunteer-report.ts'

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

  it('lends nothing to a volunteer whose status says paused, and lends what it returns to another', async () => {
    const run = startPando(['examples/square-no-delay.js', '--stdin', '--port', '0'])
    const server = await waitForServer(run)
    const pausing = new FakeVolunteer(server)
    await pausing.join(1, 'pausing')
    await run.waitForStderr(/volunteer 'pausing' joined/)
    run.child.stdin.write(seqLines(0, 3))
    await expect.poll(() => pausing.jobsReceived()).toBe(1)
    // Paused: it says so first (its Workers count 0), then gives back what it holds unstarted.
    pausing.socket.send(
      JSON.stringify({
        type: 'status',
        report: volunteerReport({ deviceName: 'pausing', workers: 1, paused: true }),
      }),
    )
    const held = pausing.jobs()[0] as { id: number }
    pausing.socket.send(JSON.stringify({ type: 'return', ids: [held.id] }))
    const other = new FakeVolunteer(server, { answer: square })
    await other.join(1, 'other')
    run.child.stdin.end(seqLines(3, 6))
    const result = await run.exited
    expect(result.stdout).toBe(seqLines(0, 6, (n) => String(n * n)))
    expect(result.code).toBe(0)
    // After its pause it was lent nothing: the one item it had, it gave back.
    expect(pausing.jobsReceived()).toBe(1)
    expect(other.jobs().map((job) => job.id)).toContain(held.id)
  }, 60_000)
})
