import { mkdtemp, readdir, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import {
  NO_RUN_REASON,
  ROOT_LINK_VERSION,
  RUN_ENDED_REASON,
  type MonitorMessage,
  type RootToServer,
  type ServerToRoot,
} from '@pando/protocol'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createHostingServer, type HostingServer, type RootRegistryEvent } from '../src/index.ts'
import { STATUS } from './monitor-status.ts'
import { RecordingClient, registerRoot } from './recording-client.ts'

const SECRET = 's3cret'
const FILES = [
  { name: 'bundle.js', content: 'self.x = 1' },
  { name: 'config.json', content: '{"protocolVersion":1}' },
]

type Root = RecordingClient<ServerToRoot> & { send(message: RootToServer): void }

describe('createHostingServer', () => {
  let server: HostingServer | undefined
  let tmp: string
  let volunteerDir: string
  const events: RootRegistryEvent[] = []
  const previousTmpdir = process.env['TMPDIR']

  beforeEach(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'pando-hosting-'))
    volunteerDir = await mkdtemp(path.join(os.tmpdir(), 'pando-page-'))
    await writeFile(path.join(volunteerDir, 'index.html'), '<title>volunteer</title>')
    // The run's files go under TMPDIR, where the tests can see them come and go.
    process.env['TMPDIR'] = tmp
  })

  afterEach(async () => {
    await server?.close()
    server = undefined
    events.length = 0
    if (previousTmpdir === undefined) delete process.env['TMPDIR']
    else process.env['TMPDIR'] = previousTmpdir
  })

  const start = async (): Promise<HostingServer> => {
    let origins = 0
    server = await createHostingServer({
      port: 0,
      host: '127.0.0.1',
      secret: SECRET,
      volunteerDir,
      heartbeatMs: 60_000,
      wrongSecretDelayMs: 100,
      join: { newOrigin: () => `origin-${++origins}` },
      onEvent: (event) => events.push(event),
    })
    return server
  }

  const connect = (port: number, where = '/root'): Promise<Root> =>
    new RecordingClient<ServerToRoot>(`ws://127.0.0.1:${port}${where}`).open()

  /** A root that has registered with its files. */
  const register = (port: number): Promise<Root> => registerRoot(`ws://127.0.0.1:${port}/root`, SECRET, FILES)

  const status = async (port: number, file: string): Promise<number> =>
    (await fetch(`http://127.0.0.1:${port}/run/${file}`)).status

  describe('registration', () => {
    it('welcomes the root with its secret, serves its files until it leaves, then removes them', async () => {
      const { port, urls } = await start()
      expect(urls).toEqual([`http://127.0.0.1:${port}/`])
      expect(await status(port, 'config.json')).toBe(503)
      const root = await register(port)
      expect(root.received.slice(0, 2)).toEqual([
        { type: 'welcome', urls: [`http://127.0.0.1:${port}/`], dashboardUrls: [], heartbeatMs: 60_000 },
        { type: 'ready' },
      ])
      const bundle = await fetch(`http://127.0.0.1:${port}/run/bundle.js`)
      expect(await bundle.text()).toBe('self.x = 1')
      expect(bundle.headers.get('cache-control')).toBe('no-store')
      expect(await readdir(tmp)).toHaveLength(1)
      expect(events).toEqual([{ type: 'registered', address: '127.0.0.1', files: 2, bytes: 31 }])

      root.socket.close(1000, 'the run is over')
      await expect.poll(() => status(port, 'config.json')).toBe(503)
      await expect.poll(() => readdir(tmp)).toEqual([])
      expect(events.at(-1)).toEqual({ type: 'left', address: '127.0.0.1', reason: 'the run is over (1000)' })
    })

    it('says with its 503 whether the last run finished: only a root that closed its link normally ended it', async () => {
      const { port } = await start()
      const noRun = async (): Promise<string> => {
        const response = await fetch(`http://127.0.0.1:${port}/run/config.json`)
        return `${String(response.status)} ${await response.text()}`
      }
      expect(await noRun()).toBe(`503 ${NO_RUN_REASON}`)
      const lost = await register(port)
      lost.socket.terminate()
      await expect.poll(noRun).toBe(`503 ${NO_RUN_REASON}`)
      const finished = await register(port)
      finished.socket.close(1000, 'the run is over')
      await expect.poll(noRun).toBe(`503 ${RUN_ENDED_REASON}`)
      // The next run, and its root lost: the last run did not finish.
      const next = await register(port)
      expect((await fetch(`http://127.0.0.1:${port}/run/config.json`)).status).toBe(200)
      next.socket.close(1011, 'broken')
      await expect.poll(noRun).toBe(`503 ${NO_RUN_REASON}`)
    })

    it('refuses a wrong secret only after a delay, whatever the root sends meanwhile', async () => {
      const { port } = await start()
      const root = await connect(port)
      const started = Date.now()
      root.send({ type: 'hello', version: ROOT_LINK_VERSION, secret: 'guess' })
      root.send({ type: 'run-files', files: FILES })
      expect(await root.closed).toEqual({ code: 1008, reason: 'wrong secret' })
      expect(Date.now() - started).toBeGreaterThanOrEqual(90)
      expect(root.received).toEqual([{ type: 'error', reason: 'wrong secret' }])
      expect(events).toEqual([{ type: 'refused', address: '127.0.0.1', reason: 'wrong secret' }])
    })

    it('refuses an address at once after five wrong secrets, even with the right one', async () => {
      const { port } = await start()
      for (let i = 0; i < 5; i++) {
        const guesser = await connect(port)
        guesser.send({ type: 'hello', version: ROOT_LINK_VERSION, secret: `guess-${i}` })
        await guesser.closed
      }
      const root = await connect(port)
      root.send({ type: 'hello', version: ROOT_LINK_VERSION, secret: SECRET })
      expect(await root.closed).toEqual({
        code: 1008,
        reason: 'too many wrong secrets from this address: try again in a minute',
      })
    })

    it('takes one root at a time', async () => {
      const { port } = await start()
      const first = await register(port)
      const second = await connect(port)
      second.send({ type: 'hello', version: ROOT_LINK_VERSION, secret: SECRET })
      expect(await second.closed).toEqual({
        code: 1013,
        reason: 'another root is registered: wait for its run to end',
      })
      first.socket.close()
      await first.closed
      await register(port)
    })

    it.each<[string, unknown, string]>([
      [
        'a first message that is not hello',
        { type: 'run-files', files: FILES },
        'the first message must be hello',
      ],
      [
        'another version',
        { type: 'hello', version: 99, secret: SECRET },
        'this root speaks root-link version 99',
      ],
      ['a malformed hello', { type: 'hello', secret: SECRET }, 'malformed hello: version'],
    ])('refuses %s', async (_, message, reason) => {
      const { port } = await start()
      const root = await connect(port)
      root.send(message as RootToServer)
      const closed = await root.closed
      expect(closed.code).toBe(1008)
      expect(closed.reason).toContain(reason)
    })

    it('sends away a registered root that breaks the protocol, closing its volunteers', async () => {
      const { port } = await start()
      const root = await register(port)
      const volunteer = await new RecordingClient(`ws://127.0.0.1:${port}/volunteer`).open()
      await root.next('volunteer-open')
      root.send({ type: 'hello', version: ROOT_LINK_VERSION, secret: SECRET })
      expect(await root.closed).toEqual({ code: 1008, reason: 'hello sent twice' })
      expect(await volunteer.closed).toEqual({
        code: 1012,
        reason: 'the root left: waiting for the next run',
      })
      expect(volunteer.received).toEqual([
        { type: 'error', reason: 'the root left: waiting for the next run' },
      ])
    })
  })

  describe('relaying', () => {
    it('tells volunteers and joiners to come back later while no root is registered', async () => {
      const { port } = await start()
      const volunteer = await new RecordingClient(`ws://127.0.0.1:${port}/volunteer`).open()
      expect(await volunteer.closed).toEqual({
        code: 1013,
        reason: 'no run yet: waiting for a root to register',
      })
      const joiner = await new RecordingClient(`ws://127.0.0.1:${port}/join`).open()
      joiner.send({ type: 'join', seq: 0, weight: 1, signal: { type: 'offer', sdp: 'v=0' } })
      expect(await joiner.next('rejected')).toEqual({
        type: 'rejected',
        reason: 'no run yet: waiting for a root to register',
      })
    })

    it('tunnels a volunteer: its frames to the root, the root’s to it, and each side’s close', async () => {
      const { port } = await start()
      const root = await register(port)
      const volunteer = await new RecordingClient(`ws://127.0.0.1:${port}/volunteer`).open()
      expect(await root.next('volunteer-open')).toEqual({ type: 'volunteer-open', connection: 1 })
      volunteer.send({ type: 'hello', protocolVersion: 1, deviceName: 'v' })
      expect(await root.next('volunteer-message')).toEqual({
        type: 'volunteer-message',
        connection: 1,
        data: '{"type":"hello","protocolVersion":1,"deviceName":"v"}',
      })
      root.send({ type: 'volunteer-send', connection: 1, data: '{"type":"jobs","jobs":[]}' })
      expect(await volunteer.next('jobs')).toEqual({ type: 'jobs', jobs: [] })
      root.send({ type: 'volunteer-close', connection: 1, code: 1008, reason: 'malformed outcome' })
      expect(await volunteer.closed).toEqual({ code: 1008, reason: 'malformed outcome' })
      expect(await root.next('volunteer-close')).toEqual({
        type: 'volunteer-close',
        connection: 1,
        code: 1008,
        reason: 'malformed outcome',
      })

      const second = await new RecordingClient(`ws://127.0.0.1:${port}/volunteer`).open()
      await expect.poll(() => root.received.filter((m) => m.type === 'volunteer-open').length).toBe(2)
      second.socket.send(Buffer.from([1, 2, 3]))
      expect(await second.closed).toEqual({
        code: 1008,
        reason: 'binary messages are not part of the protocol',
      })
      await expect
        .poll(() => root.received.filter((m) => m.type === 'volunteer-close').at(-1))
        .toEqual({
          type: 'volunteer-close',
          connection: 2,
          code: 1008,
          reason: 'binary messages are not part of the protocol',
        })
    })

    it('passes joiners’ signals to the root, with origins of its own making, and the answers back', async () => {
      const { port } = await start()
      const root = await register(port)
      const joiner = await new RecordingClient(`ws://127.0.0.1:${port}/join`).open()
      joiner.send({ type: 'join', seq: 0, weight: 1, signal: { type: 'offer', sdp: 'v=0' } })
      expect(await root.next('join-signal')).toEqual({
        type: 'join-signal',
        origin: 'origin-1',
        seq: 0,
        weight: 1,
        signal: { type: 'offer', sdp: 'v=0' },
      })
      root.send({
        type: 'to-joiner',
        origin: 'origin-1',
        message: { type: 'answer', signal: { type: 'answer' } },
      })
      expect(await joiner.next('answer')).toEqual({ type: 'answer', signal: { type: 'answer' } })
    })

    it('broadcasts the root’s statuses to the dashboards', async () => {
      const { port } = await start()
      const root = await register(port)
      const viewer = await new RecordingClient<MonitorMessage>(`ws://127.0.0.1:${port}/monitor/feed`).open()
      root.send({ type: 'status', status: STATUS })
      expect(await viewer.next('status')).toEqual(STATUS)
    })
  })
})
