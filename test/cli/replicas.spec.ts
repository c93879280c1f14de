// Replication through the real CLI and real volunteer WebSockets (issue 16): with --replicas 2, every item
// is computed by two distinct volunteers; a liar is outvoted, excluded (closed with 4003 and named on
// stderr), and the output is exact; copies that never agree fail the item as --on-error says.
import { CLOSE_EXCLUDED, type Outcome } from '@pando/protocol'
import { describe, expect, it } from 'vitest'
import { FakeVolunteer } from '../support/fake-volunteer.ts'
import { runPando, seqLines, startPando, waitForServer } from '../../harness/pando-process.ts'

/** The item a copy's job id belongs to (the scheduler's `COPY_SLOTS`). */
const itemOf = (id: number): number => Math.floor(id / 64)

const square = (job: { id: number; value: string }): Outcome => ({
  id: job.id,
  ok: true,
  result: String(Number(job.value) ** 2),
})
const lie = (job: { id: number }): Outcome => ({ id: job.id, ok: true, result: '42' })

describe('--replicas over the volunteer WebSocket', () => {
  it('writes the agreed results, never gives two copies of an item to one volunteer, and excludes a liar', async () => {
    const run = startPando(
      ['examples/square-no-delay.js', '--stdin', '--port', '0', '--replicas', '2', '--progress'],
      { env: { DEBUG: 'pando-computing:trust', DEBUG_COLORS: 'no' } },
    )
    const server = await waitForServer(run)
    const liar = new FakeVolunteer(server, { answer: lie })
    await liar.join(1, 'liar')
    const honest = [0, 1, 2].map(() => new FakeVolunteer(server, { answer: square }))
    for (const [i, volunteer] of honest.entries()) await volunteer.join(1, `honest-${String(i)}`)
    await run.waitForStderr(/volunteer 'honest-2' joined/)
    run.child.stdin.end(seqLines(0, 199))

    const result = await run.exited
    expect(result.stdout).toBe(seqLines(0, 199, (n) => String(n * n)))
    expect(result.code).toBe(0)
    expect(await liar.closed()).toBe(CLOSE_EXCLUDED)
    expect(result.stderr).toMatch(
      /volunteer 'liar' left: 'liar' was outvoted on \d+ items \(its results differed from the agreed ones\) and agreed on 0: excluded/,
    )
    expect(result.stderr).toMatch(
      /volunteer '[^']+' is excluded: its results were outvoted on \d+ items and agreed on 0; what it held is computed by others/,
    )
    // The summary line names it too.
    const [, liarId = ''] =
      / · volunteers judged: 4, excluded: '([^']+)' \(outvoted \d+ times\)\n$/.exec(result.stderr) ?? []
    expect(liarId).not.toBe('')
    // DEBUG=pando-computing:trust tells each volunteer's standing as it changes: the liar's last line says
    // why it is excluded; each honest volunteer's, agreements only.
    const standings = new Map<string, string>()
    for (const [, id = '', line = ''] of result.stderr.matchAll(/ pando-computing:trust '([^']+)' (.*)\n/g))
      standings.set(id, line)
    expect(standings.size).toBe(4)
    expect(standings.get(liarId)).toMatch(
      /^agreed 0, outvoted \d+, failed 0, excluded: was outvoted on \d+ items \(its results differed from the agreed ones\) and agreed on 0: excluded$/,
    )
    for (const [id, line] of standings)
      if (id !== liarId) expect(line).toMatch(/^agreed \d+, outvoted 0, failed 0$/)
    for (const volunteer of [liar, ...honest]) {
      const items = volunteer.jobs().map((job) => itemOf(job.id))
      expect(new Set(items).size).toBe(items.length)
    }
    // Each item was computed twice at least: 400 copies, and more for those the liar took part in.
    const copies = [liar, ...honest].reduce((sum, volunteer) => sum + volunteer.jobsReceived(), 0)
    expect(copies).toBeGreaterThanOrEqual(400)
  }, 90_000)

  it('refuses a page that comes back with the browser mark of an excluded volunteer, and admits one without', async () => {
    const run = startPando(['examples/square-no-delay.js', '--stdin', '--port', '0', '--replicas', '2'])
    const server = await waitForServer(run)
    const liar = new FakeVolunteer(server, { answer: lie })
    await liar.join(1, 'liar')
    const honest = [0, 1].map(() => new FakeVolunteer(server, { answer: square }))
    for (const [i, volunteer] of honest.entries()) await volunteer.join(1, `honest-${String(i)}`)
    await run.waitForStderr(/volunteer 'honest-1' joined/)
    run.child.stdin.write(seqLines(0, 100))
    expect(await liar.closed()).toBe(CLOSE_EXCLUDED)
    const mark = liar.welcomeMark()
    expect(mark).toMatch(/^[\w-]{24}$/)

    // Its page reloads: same browser, same mark.
    const again = new FakeVolunteer(server, { answer: lie })
    await again.join(1, 'liar', mark)
    expect(await again.closing).toEqual({
      code: CLOSE_EXCLUDED,
      reason: expect.stringMatching(
        /^this browser was excluded earlier in this run: it was outvoted on \d+ items/,
      ),
    })
    expect(again.jobsReceived()).toBe(0)
    await run.waitForStderr(
      /a volunteer was refused: 'liar' came back from a browser excluded earlier in this run \(it was outvoted on \d+ items \(its results differed from the agreed ones\) and agreed on 0: excluded\)/,
    )
    // A page that forgot its mark (a private window) cannot be told from a newcomer: it is welcomed.
    const forgetful = new FakeVolunteer(server, { answer: square })
    await forgetful.join(1, 'forgetful')
    await run.waitForStderr(/volunteer 'forgetful' joined/)
    expect(forgetful.welcomeMark()).not.toBe(mark)
    run.child.stdin.end(seqLines(100, 199))

    const result = await run.exited
    expect(result.stdout).toBe(seqLines(0, 199, (n) => String(n * n)))
    expect(result.code).toBe(0)
    expect(result.stderr.match(/is excluded/g)).toHaveLength(1)
  }, 90_000)

  it('fails an item whose copies never agree within --max-replicas, naming each volunteer and its answer', async () => {
    const run = startPando([
      'examples/square-no-delay.js',
      '--port',
      '0',
      '--replicas',
      '2',
      '--max-replicas',
      '2',
      '--on-error',
      'mark',
      '--error-marker',
      'DISPUTED',
      '7',
    ])
    const server = await waitForServer(run)
    const a = new FakeVolunteer(server, { answer: (job) => ({ id: job.id, ok: true, result: 'a' }) })
    const b = new FakeVolunteer(server, { answer: (job) => ({ id: job.id, ok: true, result: 'b' }) })
    await a.join(1, 'a')
    await b.join(1, 'b')
    const result = await run.exited
    expect(result.stdout).toBe('DISPUTED\n')
    expect(result.code).toBe(1)
    expect(result.stderr).toMatch(
      /marked: .*DisagreementError: no result won a majority in 2 copies \(--max-replicas\): '\S+' gave "(a|b)", '\S+' gave "(a|b)"/,
    )
  }, 60_000)

  it('refuses --replicas with --local, --max-replicas below --replicas, and a bad --spot-check (status 2)', async () => {
    const local = await runPando(['examples/square.js', '--local', '--replicas', '2', '1'])
    expect(local).toEqual({
      stdout: '',
      stderr:
        'pando: --replicas needs volunteers to compare: --local computes every item once, in this process (drop one of them)\n',
      code: 2,
      signal: null,
    })
    const below = await runPando(['examples/square.js', '--replicas', '3', '--max-replicas', '2', '1'])
    expect(below).toEqual({
      stdout: '',
      stderr: "pando: --max-replicas must be from --replicas (3) to 63, not 2 (see 'pando --help')\n",
      code: 2,
      signal: null,
    })
    const auto = await runPando(['examples/square.js', '--replicas', 'many', '1'])
    expect(auto).toEqual({
      stdout: '',
      stderr: `pando: --replicas must be a whole number from 1 to 32, or auto, not "many" (see 'pando --help')\n`,
      code: 2,
      signal: null,
    })
    const share = await runPando(['examples/square.js', '--spot-check', '1.5', '1'])
    expect(share).toEqual({
      stdout: '',
      stderr: `pando: --spot-check must be a share from 0 to 1, e.g. 0.05, not "1.5" (see 'pando --help')\n`,
      code: 2,
      signal: null,
    })
    const judge = await runPando(['examples/square.js', '--spot-check', '0.1', '--no-start-idle', '1'])
    expect(judge).toEqual({
      stdout: '',
      stderr:
        'pando: --spot-check needs volunteers to check, and this process apart as the judge: not with --no-start-idle\n',
      code: 2,
      signal: null,
    })
  }, 30_000)
})
