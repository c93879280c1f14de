// Volunteers that hoard or fail every item, and a root that stalls itself (issue 12): through the real CLI,
// real sockets, honest volunteers (played by the test) alongside. Honest volunteers are never dropped,
// stdout stays exact, and the run finishes.
import { describe, expect, it } from 'vitest'
import { FakeVolunteer } from '../support/fake-volunteer.ts'
import { CLOSE_RUN_FINISHED, MAX_VOLUNTEER_SOCKETS_PER_ADDRESS } from '@pando/protocol'
import {
  seqLines,
  startPando,
  waitForServer,
  type PandoRun,
  type PrintedServer,
} from '../../harness/pando-process.ts'

async function startRoot(
  args: string[],
  env?: Record<string, string>,
): Promise<{ run: PandoRun; server: PrintedServer }> {
  const run = startPando([...args, '--port', '0'], env === undefined ? {} : { env })
  return { run, server: await waitForServer(run) }
}

const square = (job: { id: number; value: string }) => ({
  id: job.id,
  ok: true as const,
  result: String(Number(job.value) ** 2),
})
const squares = (count: number): string => seqLines(0, count, (n) => String(n * n))

/** Joins `count` volunteers one after the other; resolves once the root has announced them all. */
async function joinAll(run: PandoRun, volunteers: FakeVolunteer[], names: string): Promise<void> {
  for (const [i, volunteer] of volunteers.entries()) await volunteer.join(1, `${names}-${String(i)}`)
  await run.waitForStderr(new RegExp(`volunteer '${names}-${String(volunteers.length - 1)}' joined`))
}

describe('pando with hostile volunteers', () => {
  it('finishes, exact, with as many connections as one address may open that take items and never answer, joined before two honest volunteers', async () => {
    const { run, server } = await startRoot(['examples/square-no-delay.js', '--stdin'])
    // One address holds at most MAX_VOLUNTEER_SOCKETS_PER_ADDRESS (the bounds tests refuse one more): all
    // but the two honest volunteers' places go to hoarders.
    const hoarders = Array.from(
      { length: MAX_VOLUNTEER_SOCKETS_PER_ADDRESS - 2 },
      () => new FakeVolunteer(server),
    )
    await joinAll(run, hoarders, 'hoarder')
    const honest = [
      new FakeVolunteer(server, { answer: square }),
      new FakeVolunteer(server, { answer: square }),
    ]
    await joinAll(run, honest, 'honest')
    run.child.stdin.end(seqLines(0, 500))
    const result = await run.exited
    expect(result.stdout).toBe(squares(500))
    expect(result.code).toBe(0)
    // Each hoarder got one item: it had answered none (earnedCredit); the honest ones got the rest, and
    // copies of what the hoarders held (the straggler copy goes to a volunteer that has answered).
    for (const hoarder of hoarders) expect(hoarder.jobsReceived()).toBeLessThanOrEqual(1)
    // Closed by the root at the end of the run (CLOSE_RUN_FINISHED), not dropped.
    for (const volunteer of honest) expect((await volunteer.closing).code).toBe(CLOSE_RUN_FINISHED)
    expect(result.stderr).not.toMatch(/silent for|dropped/)
  }, 90_000)

  it('exits 0, exact, with three connections that fail every item beside an honest volunteer, and drops them', async () => {
    const { run, server } = await startRoot(['examples/square-no-delay.js', '--stdin'])
    const fail = (job: { id: number }) => ({
      id: job.id,
      ok: false as const,
      error: { name: 'Error', message: 'no such API' },
    })
    const failers = Array.from({ length: 3 }, () => new FakeVolunteer(server, { answer: fail }))
    await joinAll(run, failers, 'failer')
    const honest = new FakeVolunteer(server, { answer: square })
    await joinAll(run, [honest], 'honest')
    run.child.stdin.end(seqLines(0, 500))
    const result = await run.exited
    expect(result.stdout).toBe(squares(500))
    expect(result.code).toBe(0)
    const closes = await Promise.all(failers.map((failer) => failer.closing))
    for (const { code, reason } of closes) {
      expect(code).toBe(4001)
      expect(reason).toMatch(/^'failer-\d' failed \d+ items \(\d+ of them computed by other volunteers\)/)
    }
    expect(result.stderr).toMatch(
      /volunteer '(failer-\d)' left: '\1' failed \d+ items \(\d+ of them computed by other volunteers\) and computed 0: dropped/,
    )
    expect(result.stderr).not.toMatch(/'honest-0' failed/)
    expect((await honest.closing).code).toBe(CLOSE_RUN_FINISHED)
  }, 90_000)

  it('drops a volunteer that answers no ping, however many unsolicited pongs and page heartbeats it sends', async () => {
    const { run, server } = await startRoot([
      'examples/square-no-delay.js',
      '--stdin',
      '--no-start-idle',
      '--heartbeat',
      '300',
    ])
    const liar = new FakeVolunteer(server, { autoPong: false })
    await joinAll(run, [liar], 'liar')
    const pongs = setInterval(() => {
      liar.socket.pong('unasked')
      liar.socket.pong(performance.now().toFixed(3)) // a stamp of its own clock, not one the root sent
    }, 30)
    run.child.stdin.end(seqLines(0, 300))
    const { code } = await liar.closing
    clearInterval(pongs)
    const result = await run.exited
    expect(code).toBe(1006) // terminated by the ping heartbeat, not closed at the end of the run (CLOSE_RUN_FINISHED)
    expect(result.stdout).toBe(squares(300))
    expect(result.code).toBe(0)
  }, 90_000)

  it('keeps an honest volunteer whose heartbeats wait unread while the root blocks its own thread', async () => {
    const { run, server } = await startRoot(
      ['test/cli/fixtures/blocks-root-once.cjs', '--stdin', '--no-start-idle', '--heartbeat', '300'],
      { BLOCK_MS: '2000' },
    )
    const honest = new FakeVolunteer(server, { answer: square })
    await joinAll(run, [honest], 'honest')
    run.child.stdin.end(seqLines(0, 2_000))
    const result = await run.exited
    expect(result.stdout).toBe(squares(2_000))
    expect(result.code).toBe(0)
    expect(result.stderr).not.toMatch(/silent for/)
    // Closed by the root at the end of the run (CLOSE_RUN_FINISHED), not dropped as silent (4000) or terminated (1006).
    expect((await honest.closing).code).toBe(CLOSE_RUN_FINISHED)
    expect(honest.jobsReceived()).toBeGreaterThan(0)
  }, 90_000)
})
