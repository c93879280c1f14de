import { once } from 'node:events'
import { writeFileSync } from 'node:fs'
import { createServer as createTcpServer } from 'node:net'
import { join } from 'node:path'
import { CLOSE_RUN_FINISHED, parseRootMessage, toWire } from '@pando/protocol'
import { afterEach, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import { createRunIds } from '@pando/cli'
import {
  PANDO_SERVER,
  runPando,
  seqLines,
  serverUrl,
  startPando,
  tempHome,
  waitForServer,
  type PandoRun,
  type PrintedServer,
} from '../../harness/pando-process.ts'
import { NESTED_FRAME, sendVolunteerFrame } from '../support/nested-frames.ts'

/** The secret of the servers these tests start: never to be seen on any output. */
const SECRET = 'correct-horse-battery-staple'
const WITH_SECRET = { PANDO_SECRET: SECRET }
const SERVER_URL = /volunteers can join at http:\/\/localhost:(\d+)\//
const ROOT_URL = /pando: volunteers can join at http:\/\/localhost:(\d+)\//

interface Message {
  readonly type: string
  readonly jobs?: { id: number; value: string }[]
  readonly reason?: string
  readonly volunteerId?: string
}

/** A volunteer played by the test over `/volunteer`: it squares what it is lent, or only listens. */
class FakeVolunteer {
  readonly socket: WebSocket
  readonly received: Message[] = []
  /** Resolves with how its socket closed. */
  readonly closed: Promise<{ code: number; reason: string }>
  computed = 0

  constructor(server: PrintedServer, options: { compute?: boolean; name?: string } = {}) {
    this.socket = new WebSocket(serverUrl(server, '/volunteer', 'ws'))
    this.closed = once(this.socket, 'close').then(([code, reason]) => ({
      code: code as number,
      reason: String(reason),
    }))
    this.socket.on('message', (data) => {
      const message = parseRootMessage(String(data)) as Message
      this.received.push(message)
      if (options.compute !== true || message.jobs === undefined) return
      this.computed += message.jobs.length
      const outcomes = message.jobs.map((job) => ({
        id: job.id,
        ok: true,
        result: String(Number(job.value) ** 2),
      }))
      this.socket.send(JSON.stringify(toWire({ type: 'outcomes', outcomes })))
    })
    this.socket.on('open', () =>
      this.socket.send(
        JSON.stringify({ type: 'hello', protocolVersion: 1, deviceName: options.name ?? 'fake' }),
      ),
    )
  }
}

const running: PandoRun[] = []
afterEach(() => {
  for (const run of running.splice(0)) if (run.child.exitCode === null) run.child.kill('SIGKILL')
})

function start(args: string[], env: Record<string, string> = WITH_SECRET, bin?: string): PandoRun {
  const run = startPando(args, { env, ...(bin === undefined ? {} : { bin }) })
  running.push(run)
  return run
}

async function startServer(
  args: string[] = [],
): Promise<{ server: PandoRun; port: string; printed: PrintedServer }> {
  const server = start(['--port', '0', ...args], WITH_SECRET, PANDO_SERVER)
  const printed = await waitForServer(server)
  return { server, port: printed.port, printed }
}

/** A root on the server at `port`, registered once it prints its URL. */
async function startRoot(port: string, args: string[]): Promise<PandoRun> {
  const root = start([...args, '--host', `localhost:${port}`])
  await root.waitForStderr(ROOT_URL)
  return root
}

async function freePort(): Promise<number> {
  const server = createTcpServer().listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as { port: number }
  server.close()
  await once(server, 'close')
  return port
}

const squares = (count: number): string => seqLines(0, count, (n) => String(n * n))

describe('pando-server', () => {
  it('refuses to start without a secret, and says how to set one in the file it reads', async () => {
    const home = tempHome()
    const result = await runPando(['--port', '0'], { bin: PANDO_SERVER, home })
    expect(result).toEqual({
      stdout: '',
      stderr:
        'pando-server: no secret: pando-server needs one, which a root must give to register. Set one that is ' +
        'hard to guess, e.g. export PANDO_SECRET=$(openssl rand -hex 16), or put it as "secret" in ' +
        `${join(home, '.pando/config.json')} (or --secret, which other users of this machine can see); then ` +
        "give the same to 'pando --host'\n",
      code: 2,
      signal: null,
    })
  })

  it('takes --config FILE (or -c) and PANDO_<OPTION>, and names the file it reads', async () => {
    const home = tempHome()
    const file = join(home, 'server.json')
    writeFileSync(file, '{"port": 6001}')
    const noSecret = await runPando(['-c', file], { bin: PANDO_SERVER, home })
    expect(noSecret).toMatchObject({ stdout: '', code: 2 })
    expect(noSecret.stderr).toContain(`or put it as "secret" in ${file} (or --secret`)
    expect(await runPando(['--config', join(home, 'none.json')], { bin: PANDO_SERVER, home })).toEqual({
      stdout: '',
      stderr:
        `pando-server: the configuration file ${join(home, 'none.json')} given by --config does not exist: fix ` +
        'the path, or drop --config\n',
      code: 2,
      signal: null,
    })
    expect(
      await runPando([], { bin: PANDO_SERVER, home, env: { ...WITH_SECRET, PANDO_ICE_ADDRESSES: 'lan' } }),
    ).toEqual({
      stdout: '',
      stderr:
        'pando-server: $PANDO_ICE_ADDRESSES (--ice-addresses) must be one of loopback, private, any, not "lan": ' +
        'fix or unset it\n',
      code: 2,
      signal: null,
    })
    // The secret from the file, the port from the environment over the file's 6001.
    writeFileSync(file, `{"port": 6001, "secret": "${SECRET}"}`)
    const server = startPando(['-c', file], { bin: PANDO_SERVER, home, env: { PANDO_PORT: '0' } })
    running.push(server)
    const [, port] = await server.waitForStderr(SERVER_URL)
    expect(Number(port)).not.toBe(6001)
    expect(Number(port)).not.toBe(5000)
  })

  it('takes its secret from the configuration file, and lists its options in --help', async () => {
    const home = tempHome(`{"secret": "${SECRET}", "retries": 3}`)
    const server = startPando(['--port', '0'], { bin: PANDO_SERVER, home })
    running.push(server)
    await server.waitForStderr(SERVER_URL)
    const help = await runPando(['--help'], { bin: PANDO_SERVER, home })
    expect(help.code).toBe(0)
    expect(help.stdout).toMatch(/^Usage: pando-server \[OPTIONS\]\n/)
    for (const flag of [
      '--port',
      '--listen',
      '--open',
      '--allow-host',
      '--secret',
      '--heartbeat',
      '--ice-addresses',
      '--seed',
      '--config',
      '--help',
    ]) {
      expect(help.stdout).toContain(flag)
    }
    expect(help.stdout).not.toContain(SECRET)
  })

  it('tells volunteers to come back while no root is registered, and serves the run while one is', async () => {
    const { port, printed } = await startServer()
    expect((await fetch(serverUrl(printed, '/run/config.json'))).status).toBe(503)
    const early = new FakeVolunteer(printed)
    expect(await early.closed).toEqual({ code: 1013, reason: 'no run yet: waiting for a root to register' })
    expect(early.received).toEqual([{ type: 'error', reason: 'no run yet: waiting for a root to register' }])

    const joiner = new WebSocket(serverUrl(printed, '/join', 'ws'))
    await once(joiner, 'open')
    joiner.send(JSON.stringify({ type: 'join', seq: 0, weight: 1, signal: { type: 'offer', sdp: 'v=0' } }))
    const [answer] = (await once(joiner, 'message')) as [Buffer]
    expect(JSON.parse(String(answer))).toEqual({
      type: 'rejected',
      reason: 'no run yet: waiting for a root to register',
    })

    const root = await startRoot(port, ['examples/square-no-delay.js', '--stdin', '--no-start-idle'])
    const config = (await (await fetch(serverUrl(printed, '/run/config.json'))).json()) as {
      bundleUrl: string
    }
    expect(config.bundleUrl).toBe('run/bundle.js')
    expect((await fetch(serverUrl(printed, '/run/bundle.js'))).status).toBe(200)
    root.child.stdin.end('7\n')
    expect((await root.exited).stdout).toBe('49\n')
    await expect.poll(async () => (await fetch(serverUrl(printed, '/run/config.json'))).status).toBe(503)
  })
})

describe('pando --host', () => {
  it('runs through a separate server, its volunteers tunnelled over /volunteer', async () => {
    const { server, port, printed } = await startServer(['--heartbeat', '500'])
    const root = await startRoot(port, [
      'examples/square-no-delay.js',
      '--stdin',
      '--reporting-interval',
      '1',
    ])
    const viewer = new WebSocket(serverUrl(printed, '/monitor/feed', 'ws'))
    const statuses: { totals: { done: number } }[] = []
    viewer.on('message', (data) => statuses.push(JSON.parse(String(data)) as (typeof statuses)[0]))
    const volunteers = [1, 2].map((n) => new FakeVolunteer(printed, { compute: true, name: `fake-${n}` }))
    await root.waitForStderr(/volunteer 'fake-1' joined/)
    await root.waitForStderr(
      /volunteer 'fake-2' joined \(2 connected\)|volunteer 'fake-1' joined \(2 connected\)/,
    )
    root.child.stdin.end(seqLines(0, 2000))
    const result = await root.exited
    expect(result.stdout).toBe(squares(2000))
    expect(result.code).toBe(0)
    for (const volunteer of volunteers) expect(volunteer.computed).toBeGreaterThan(0)
    expect(volunteers.map((v) => v.received[0]?.type)).toEqual(['welcome', 'welcome'])
    // The root's statuses reached the server's dashboards; it told its volunteers the run was over (through
    // the server) before it left.
    expect(statuses.length).toBeGreaterThan(0)
    expect(await Promise.all(volunteers.map(async (v) => (await v.closed).code))).toEqual([
      CLOSE_RUN_FINISHED,
      CLOSE_RUN_FINISHED,
    ])
    await server.waitForStderr(/the root from 127\.0\.0\.1 left: the run is over \(1000\)/)
    expect(result.stderr).toMatch(
      /^pando: volunteers can join at http:\/\/localhost:\d+\/\?token=[\w-]{32}\n/,
    )
    for (const output of [result.stderr, server.stderr()]) expect(output).not.toContain(SECRET)
    viewer.close()
  })

  it('exits with status 2 when the server refuses the secret, which no one prints', async () => {
    const { server, port } = await startServer()
    const wrong = 'not-the-secret-at-all'
    const result = await runPando(['examples/square.js', '1', '--host', `localhost:${port}`], {
      env: { PANDO_SECRET: wrong },
    })
    expect(result).toEqual({
      stdout: '',
      stderr:
        `pando: pando-server at localhost:${port} refused this root: wrong secret (give the server's secret ` +
        'with PANDO_SECRET, --secret, or "secret" in the configuration file: see --config in pando --help)\n',
      code: 2,
      signal: null,
    })
    await server.waitForStderr(/refused a root from 127\.0\.0\.1: wrong secret/)
    for (const output of [result.stderr, server.stderr()]) {
      expect(output).not.toContain(SECRET)
      expect(output).not.toContain(wrong)
    }
  })

  it('exits with status 2 when another root is registered', async () => {
    const { port } = await startServer()
    const first = await startRoot(port, ['examples/square-no-delay.js', '--stdin', '--no-start-idle'])
    const second = await runPando(['examples/square.js', '1', '--host', `localhost:${port}`], {
      env: WITH_SECRET,
    })
    expect(second.stderr).toBe(
      `pando: pando-server at localhost:${port} refused this root: another root is registered: wait for its run to end\n`,
    )
    expect(second.code).toBe(2)
    first.child.stdin.end('3\n')
    expect(await first.exited).toMatchObject({ stdout: '9\n', code: 0 })
  })

  it('keeps its link and its run when volunteers of the server send frames of nested arrays', async () => {
    const { port, printed } = await startServer()
    // A frame of nested arrays takes the root a while to refuse on a busy machine: the volunteers that send
    // them send no heartbeat meanwhile, and must be refused for their frames, not dropped for their silence.
    const root = await startRoot(port, ['examples/square-no-delay.js', '--stdin', '--heartbeat', '30s'])
    const honest = new FakeVolunteer(printed, { compute: true, name: 'honest' })
    await root.waitForStderr(/volunteer 'honest' joined/)
    root.child.stdin.write(seqLines(0, 500))
    // The largest frame `/volunteer` takes, all nesting: tunnelled to the root, three times over.
    const first = await sendVolunteerFrame(printed, false, NESTED_FRAME)
    expect(first).toEqual({
      code: 1009,
      reason: `message too large: ${NESTED_FRAME.length} characters`,
    })
    for (let i = 0; i < 3; i++) {
      expect(await sendVolunteerFrame(printed, true, NESTED_FRAME)).toEqual({
        code: 1008,
        reason: 'message nested too deep: more than 16 levels',
      })
    }
    root.child.stdin.end(seqLines(500, 1000))
    const result = await root.exited
    expect(result.stdout).toBe(squares(1000))
    expect(result.code).toBe(0)
    expect(result.stderr).not.toMatch(/lost the link/)
    expect(honest.computed).toBe(1000)
  }, 120_000)

  it('exits with status 2 when the server cannot be reached', async () => {
    const port = await freePort()
    const result = await runPando(['examples/square.js', '1', '--host', `127.0.0.1:${port}`], {
      env: WITH_SECRET,
    })
    expect(result).toEqual({
      stdout: '',
      stderr:
        `pando: cannot reach pando-server at 127.0.0.1:${port} (connect ECONNREFUSED 127.0.0.1:${port}): ` +
        'check --host, and that pando-server runs there\n',
      code: 2,
      signal: null,
    })
  })

  it('refuses --secret without --host, and --host without a secret', async () => {
    const secretOnly = await runPando(['examples/square.js', '1', '--secret', SECRET])
    expect(secretOnly.stderr).toBe(
      'pando: --secret is the secret of a pando-server, and does nothing without --host: add --host HOST:PORT, or drop --secret\n',
    )
    expect(secretOnly.code).toBe(2)
    const hostOnly = await runPando(['examples/square.js', '1', '--host', 'example.org:5000'])
    expect(hostOnly.stderr).toBe(
      'pando: --host needs the secret of the pando-server at example.org:5000: set PANDO_SECRET, or "secret" in ' +
        'the configuration file (or --secret, which other users of this machine can see)\n',
    )
    expect(hostOnly.code).toBe(2)
  })

  it('stops with status 1 when the link to the server is lost mid-run, its output a correct prefix', async () => {
    const { server, port } = await startServer()
    const root = await startRoot(port, ['examples/square-no-delay.js', '--stdin', '--no-start-idle'])
    root.child.stdin.write(seqLines(0, 100))
    await root.waitForLines(100)
    server.child.kill('SIGKILL')
    const result = await root.exited
    expect(result.code).toBe(1)
    expect(result.stdout).toBe(squares(100))
    expect(result.stderr).toMatch(
      new RegExp(
        `pando: lost the link to pando-server at localhost:${port} \\(the connection was cut\\): the run cannot ` +
          'go on without it and stops here; the results written are correct, the rest were not computed\n$',
      ),
    )
  })

  it('--seed gives the same volunteer ids on every run, with or without a separate server', async () => {
    const expected = createRunIds(42).volunteerId()
    const firstId = async (printed: PrintedServer): Promise<string | undefined> => {
      const volunteer = new FakeVolunteer(printed)
      await expect.poll(() => volunteer.received.length).toBeGreaterThan(0)
      volunteer.socket.close()
      return volunteer.received[0]?.volunteerId
    }
    const local = start(['examples/square-no-delay.js', '--stdin', '--port', '0', '--seed', '42'])
    expect(await firstId(await waitForServer(local))).toBe(expected)
    const { port, printed } = await startServer(['--seed', '7'])
    await startRoot(port, ['examples/square-no-delay.js', '--stdin', '--seed', '42'])
    expect(await firstId(printed)).toBe(expected)
    expect(expected).toMatch(/^[0-9a-f]{16}$/)
  })
})
