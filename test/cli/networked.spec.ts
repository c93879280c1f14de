import { mkdtempSync, readdirSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { FakeVolunteer } from '../support/fake-volunteer.ts'
import {
  runPando,
  seqLines,
  startPando,
  waitForServer,
  type PandoRun,
  type PrintedServer,
} from '../../harness/pando-process.ts'

async function startRoot(args: string[]): Promise<{ run: PandoRun; server: PrintedServer }> {
  const run = startPando([...args, '--port', '0'])
  return { run, server: await waitForServer(run) }
}

const squares = (count: number): string => seqLines(0, count, (n) => String(n * n))

describe('pando, networked, with volunteers played by the test', () => {
  it('computes in the root itself with --no-start-idle', async () => {
    const result = await runPando([
      'examples/square-no-delay.js',
      '1',
      '2',
      '3',
      '--port',
      '0',
      '--no-start-idle',
    ])
    expect(result.stdout).toBe('1\n4\n9\n')
    expect(result.code).toBe(0)
  })

  it('drops a volunteer that stops answering pings and lends its items again', async () => {
    const { run, server } = await startRoot([
      'examples/square-no-delay.js',
      '--stdin',
      '--no-start-idle',
      '--heartbeat',
      '200',
    ])
    const silent = new FakeVolunteer(server, { autoPong: false })
    await silent.join()
    await run.waitForStderr(/volunteer 'fake' joined/)
    // The input stays open until the volunteer is dropped: the run cannot end first (this process computes
    // too, and straggler copies of what the volunteer held would otherwise finish it on a busy machine).
    run.child.stdin.write(seqLines(0, 300))
    const code = await silent.closed()
    run.child.stdin.end()
    const result = await run.exited
    expect(silent.jobsReceived()).toBeGreaterThan(0)
    expect(code).toBe(1006)
    expect(result.stdout).toBe(squares(300))
    expect(result.stderr).toMatch(/pando: volunteer 'fake' left: disconnected \(0 connected\)/)
    expect(result.code).toBe(0)
  })

  it('drops a volunteer whose page goes silent though its browser answers pings (a frozen tab)', async () => {
    const { run, server } = await startRoot([
      'examples/square-no-delay.js',
      '--stdin',
      '--no-start-idle',
      '--heartbeat',
      '300',
    ])
    const frozen = new FakeVolunteer(server, { heartbeat: false })
    await frozen.join()
    await run.waitForStderr(/volunteer 'fake' joined/)
    // The input stays open until the page is dropped (as above).
    run.child.stdin.write(seqLines(0, 300))
    const { code, reason } = await frozen.closing
    run.child.stdin.end()
    const result = await run.exited
    expect(frozen.jobsReceived()).toBeGreaterThan(0)
    expect(code).toBe(4000)
    expect(reason).toMatch(/^silent for \d+ ms: the page sent no heartbeat/)
    expect(result.stdout).toBe(squares(300))
    expect(result.code).toBe(0)
  })

  it('disconnects a volunteer that sends a malformed message, with the reason, and goes on', async () => {
    const { run, server } = await startRoot(['examples/square-no-delay.js', '--stdin', '--no-start-idle'])
    const broken = new FakeVolunteer(server)
    await broken.join()
    await run.waitForStderr(/volunteer 'fake' joined/)
    run.child.stdin.end(seqLines(0, 300))
    await expect.poll(() => broken.jobsReceived()).toBeGreaterThan(0)
    broken.socket.send('{"type": "outcomes", "ids": ["not a number"], "results": ["1"], "failures": []}')
    expect(await broken.closed()).toBe(1008)
    expect(broken.received.at(-1)).toEqual({ type: 'error', reason: 'malformed outcomes' })
    const result = await run.exited
    expect(result.stdout).toBe(squares(300))
    expect(result.stderr).toMatch(/pando: volunteer 'fake' left: malformed outcomes \(0 connected\)/)
    expect(result.code).toBe(0)
  })

  it('ignores results for items a volunteer does not hold', async () => {
    const { run, server } = await startRoot(['examples/square-no-delay.js', '--stdin', '--no-start-idle'])
    const liar = new FakeVolunteer(server)
    await liar.join()
    await run.waitForStderr(/volunteer 'fake' joined/)
    run.child.stdin.end(seqLines(0, 100))
    await expect.poll(() => liar.jobsReceived()).toBeGreaterThan(0)
    const held = new Set(liar.received.flatMap((message) => message.jobs ?? []).map((job) => job.id))
    const strays = [...Array(100).keys()].filter((id) => !held.has(id)).slice(0, 10)
    liar.sendOutcomes(strays.map((id) => ({ id, ok: true, result: 'forged' })))
    liar.socket.close()
    const result = await run.exited
    expect(result.stdout).toBe(squares(100))
    expect(result.code).toBe(0)
  })

  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)('on %s closes volunteers cleanly, removes its files and exits %i', async (signal, status) => {
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'pando-tmp-'))
    const run = startPando(['examples/square-no-delay.js', '--stdin', '--port', '0'], {
      env: { TMPDIR: tmp },
    })
    const volunteer = new FakeVolunteer(await waitForServer(run))
    await volunteer.join()
    await run.waitForStderr(/volunteer 'fake' joined/)
    expect(readdirSync(tmp)).toHaveLength(1)
    const closed = volunteer.closed()
    run.child.kill(signal)
    expect(await closed).toBe(1001)
    expect((await run.exited).code).toBe(status)
    expect(readdirSync(tmp)).toEqual([])
  })

  it('refuses a page that speaks another protocol version', async () => {
    const { run, server } = await startRoot(['examples/square-no-delay.js', '1'])
    const old = new FakeVolunteer(server)
    await old.join(0)
    expect(await old.closed()).toBe(1008)
    expect(old.received).toEqual([
      { type: 'error', reason: 'this page speaks protocol 0, the root 1: reload the page' },
    ])
    run.child.kill('SIGINT')
    expect((await run.exited).code).toBe(130)
  })
})

describe('pando, networked, with no items', () => {
  it('ends at once on an empty stdin, with no volunteer', async () => {
    const result = await runPando(['examples/square-no-delay.js', '--stdin', '--port', '0'], { input: '' })
    expect(result.stdout).toBe('')
    expect(result.code).toBe(0)
  })
})
