import { once } from 'node:events'
import { mkdtemp, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { createHostingServer, type HostingServer } from '@pando/server'
import { afterEach, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import { connectRemoteServer, readRunFiles, type RemoteServerOptions } from '../src/remote-server.ts'
import type { VolunteerSocket } from '../src/volunteer-socket.ts'

const SECRET = 's3cret'
const FILES = [
  { name: 'bundle.js', content: 'self.x = 1' },
  { name: 'config.json', content: '{}' },
]
const candidate = (address: string): unknown => ({
  type: 'candidate',
  candidate: { candidate: `candidate:1 1 udp 2122260223 ${address} 50000 typ host`, sdpMid: '0' },
})

describe('connectRemoteServer', () => {
  let server: HostingServer | undefined
  const cleanups: (() => unknown)[] = []

  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup()
    await server?.close()
    server = undefined
  })

  const start = async (heartbeatMs = 60_000): Promise<HostingServer> => {
    const volunteerDir = await mkdtemp(path.join(os.tmpdir(), 'pando-page-'))
    server = await createHostingServer({
      port: 0,
      host: '127.0.0.1',
      secret: SECRET,
      volunteerDir,
      heartbeatMs,
      wrongSecretDelayMs: 50,
    })
    return server
  }

  const connect = async (port: number, options: Partial<RemoteServerOptions> = {}) => {
    const volunteers: VolunteerSocket[] = []
    const signals: { origin: string; signal: unknown }[] = []
    const lost: string[] = []
    const remote = await connectRemoteServer({
      address: {
        display: `127.0.0.1:${port}`,
        pageUrl: `http://127.0.0.1:${port}/`,
        rootUrl: `ws://127.0.0.1:${port}/root`,
      },
      secret: SECRET,
      files: FILES,
      onVolunteer: (socket) => volunteers.push(socket),
      onJoinSignal: (message) => signals.push({ origin: message.origin, signal: message.signal }),
      onLost: (reason) => lost.push(reason),
      ...options,
    })
    cleanups.push(() => remote.close())
    return { remote, volunteers, signals, lost }
  }

  it('registers, uploads the files, and gives the URLs of the server as --host names it', async () => {
    const { port } = await start()
    const { remote } = await connect(port)
    expect(remote.urls).toEqual([`http://127.0.0.1:${port}/`])
    expect(remote.dashboardUrls).toEqual([])
    expect(await (await fetch(`http://127.0.0.1:${port}/run/bundle.js`)).text()).toBe('self.x = 1')
    await remote.close()
    await expect.poll(async () => (await fetch(`http://127.0.0.1:${port}/run/bundle.js`)).status).toBe(503)
  })

  it('hands over tunnelled volunteers that speak and are spoken to as over a WebSocket', async () => {
    const { port } = await start()
    const { volunteers } = await connect(port)
    const volunteer = new WebSocket(`ws://127.0.0.1:${port}/volunteer`)
    const closed = once(volunteer, 'close')
    await once(volunteer, 'open')
    await expect.poll(() => volunteers.length).toBe(1)
    const [socket] = volunteers as [VolunteerSocket]
    const texts: (string | undefined)[] = []
    const reasons: string[] = []
    socket.onMessage((text) => texts.push(text))
    socket.onClose((reason) => reasons.push(reason))
    volunteer.send('{"type":"hello"}')
    await expect.poll(() => texts).toEqual(['{"type":"hello"}'])
    const [reply] = await Promise.all([
      once(volunteer, 'message'),
      Promise.resolve(socket.send('{"type":"jobs"}')),
    ])
    expect(String(reply[0])).toBe('{"type":"jobs"}')
    socket.close(1008, 'malformed outcome')
    const [code, reason] = (await closed) as [number, Buffer]
    expect([code, String(reason)]).toEqual([1008, 'malformed outcome'])
    await expect.poll(() => reasons).toEqual(['disconnected'])
  })

  it('drops ICE candidates outside --ice-addresses, both ways', async () => {
    const { port } = await start()
    const { remote, signals } = await connect(port, { iceAddresses: 'loopback' })
    const joiner = new WebSocket(`ws://127.0.0.1:${port}/join`)
    const answers: unknown[] = []
    joiner.on('message', (data) => answers.push(JSON.parse(String(data))))
    await once(joiner, 'open')
    joiner.send(JSON.stringify({ type: 'join', seq: 0, weight: 1, signal: candidate('192.168.1.5') }))
    joiner.send(JSON.stringify({ type: 'join', seq: 1, weight: 1, signal: candidate('127.0.0.1') }))
    await expect.poll(() => signals.map((message) => message.signal)).toEqual([candidate('127.0.0.1')])
    const origin = signals[0]?.origin ?? ''
    remote.sendToJoiner(origin, { type: 'answer', signal: candidate('10.0.0.1') })
    remote.sendToJoiner(origin, { type: 'answer', signal: candidate('127.0.0.2') })
    await expect.poll(() => answers).toEqual([{ type: 'answer', signal: candidate('127.0.0.2') }])
    joiner.close()
  })

  it('tells of a lost link once registered, and closes its tunnelled volunteers', async () => {
    const { port } = await start()
    const { volunteers, lost } = await connect(port)
    const volunteer = new WebSocket(`ws://127.0.0.1:${port}/volunteer`)
    await once(volunteer, 'open')
    await expect.poll(() => volunteers.length).toBe(1)
    const reasons: string[] = []
    volunteers[0]?.onClose((reason) => reasons.push(reason))
    await server?.close()
    await expect.poll(() => lost).toEqual(['pando-server is shutting down'])
    expect(reasons).toEqual(['the link to pando-server was lost'])
  })

  it('keeps the link through a stall of its own thread longer than its watchdog (a root only busy)', async () => {
    const heartbeatMs = 100
    const { port } = await start(heartbeatMs)
    const { lost } = await connect(port)
    await new Promise((resolve) => setTimeout(resolve, 3 * heartbeatMs))
    // A synchronous task of 1 s (a busy root, a loaded machine): no ping is read meanwhile, the watchdog's
    // own timer (4 pings' worth) is due long before it ends; the server's pings wait unread in the socket.
    const end = performance.now() + 10 * heartbeatMs
    while (performance.now() < end) {
      // busy
    }
    await new Promise((resolve) => setTimeout(resolve, 6 * heartbeatMs))
    expect(lost).toEqual([])
  })

  it('closes its tunnelled volunteers as the run is over, not as lost, when the root ends the run', async () => {
    const { port } = await start()
    const { remote, volunteers, lost } = await connect(port)
    const volunteer = new WebSocket(`ws://127.0.0.1:${port}/volunteer`)
    await once(volunteer, 'open')
    await expect.poll(() => volunteers.length).toBe(1)
    const reasons: string[] = []
    volunteers[0]?.onClose((reason) => reasons.push(reason))
    await remote.close()
    expect(reasons).toEqual(['the run is over'])
    expect(lost).toEqual([])
  })

  it('fails with a RemoteServerError saying why: wrong secret, busy server, no server', async () => {
    const { port } = await start()
    const where = `pando-server at 127.0.0.1:${port}`
    await expect(connect(port, { secret: 'guess' })).rejects.toMatchObject({
      name: 'RemoteServerError',
      failure: 'refused',
      where,
      reason: 'wrong secret',
      message: `${where} refused this root: wrong secret`,
    })
    await connect(port)
    await expect(connect(port)).rejects.toMatchObject({
      name: 'RemoteServerError',
      failure: 'refused',
      reason: 'another root is registered: wait for its run to end',
    })
    await server?.close()
    await expect(connect(port)).rejects.toMatchObject({
      name: 'RemoteServerError',
      failure: 'unreachable',
      message: `cannot reach ${where} (connect ECONNREFUSED 127.0.0.1:${port})`,
    })
  })
})

describe('readRunFiles', () => {
  it('reads every file of the run directory as text', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'pando-run-'))
    await writeFile(path.join(dir, 'bundle.js'), 'self.x = "é"')
    await writeFile(path.join(dir, 'config.json'), '{}')
    const files = await readRunFiles(dir)
    expect(files.sort((a, b) => a.name.localeCompare(b.name))).toEqual([
      { name: 'bundle.js', content: 'self.x = "é"' },
      { name: 'config.json', content: '{}' },
    ])
  })
})
