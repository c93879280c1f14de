// The root's end of the root link, watched by the protocol's `Link` as the server watches its own (run
// inside the loopback namespace: real sockets): a pando-server played by the test registers the root, then
// goes silent; the root gives it up and says why, in the words the server's end would use.
import { once } from 'node:events'
import type { AddressInfo } from 'node:net'
import {
  parseRootToServer,
  rootLinkTimeoutMs,
  silentLinkReason,
  type RootToServer,
  type ServerToRoot,
} from '@pando/protocol'
import { afterEach, describe, expect, it } from 'vitest'
import { WebSocketServer, type WebSocket } from 'ws'
import { connectRemoteServer, type RemoteServer } from '../src/index.ts'

const HEARTBEAT_MS = 200

let cleanup: (() => unknown)[] = []
afterEach(async () => {
  for (const step of cleanup.reverse()) await step()
  cleanup = []
})

/** A pando-server that welcomes and readies one root, then sends heartbeats only while `beating`. */
async function fakeServer(): Promise<{ port: number; heard: RootToServer[]; beating: { on: boolean } }> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 })
  await once(wss, 'listening')
  const heard: RootToServer[] = []
  const beating = { on: true }
  wss.on('connection', (socket: WebSocket) => {
    const send = (message: ServerToRoot): void => socket.send(JSON.stringify(message))
    const beats = setInterval(() => {
      if (beating.on) send({ type: 'heartbeat' })
    }, HEARTBEAT_MS)
    socket.on('close', () => clearInterval(beats))
    socket.on('message', (data) => {
      const message = parseRootToServer(String(data))
      heard.push(message)
      if (message.type === 'hello') {
        send({ type: 'welcome', urls: [], dashboardUrls: [], heartbeatMs: HEARTBEAT_MS })
      }
      if (message.type === 'run-files') send({ type: 'ready' })
    })
  })
  cleanup.push(() => {
    for (const client of wss.clients) client.terminate()
    wss.close()
  })
  return { port: (wss.address() as AddressInfo).port, heard, beating }
}

async function connect(port: number, lost: string[]): Promise<RemoteServer> {
  const remote = await connectRemoteServer({
    address: {
      display: `127.0.0.1:${port}`,
      pageUrl: `http://127.0.0.1:${port}/`,
      rootUrl: `ws://127.0.0.1:${port}/root`,
    },
    secret: 'a-secret-of-at-least-sixteen-characters',
    files: [{ name: 'config.json', content: '{}' }],
    onVolunteer: () => undefined,
    onJoinSignal: () => undefined,
    onLost: (reason) => lost.push(reason),
  })
  cleanup.push(() => remote.close())
  return remote
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

describe("connectRemoteServer's watch of the root link (the protocol's Link)", () => {
  it('sends the server heartbeats, and keeps a server that sends its own', async () => {
    const server = await fakeServer()
    const lost: string[] = []
    await connect(server.port, lost)
    await sleep(rootLinkTimeoutMs(HEARTBEAT_MS) * 3)
    expect(lost).toEqual([])
    const heartbeats = server.heard.filter((message) => message.type === 'heartbeat')
    expect(heartbeats.length).toBeGreaterThanOrEqual(5)
    // Echoes of the server's own (bare) heartbeats measure nothing: the root's carry its clock only.
    expect(heartbeats[0]).toEqual({ type: 'heartbeat', sentAt: expect.any(Number) })
  })

  it('gives a silent server up and says why, in the words the server would use', async () => {
    const server = await fakeServer()
    const lost: string[] = []
    await connect(server.port, lost)
    server.beating.on = false
    await expect.poll(() => lost, { timeout: rootLinkTimeoutMs(HEARTBEAT_MS) * 20 }).toHaveLength(1)
    expect(lost).toEqual([silentLinkReason(rootLinkTimeoutMs(HEARTBEAT_MS))])
    expect(lost).toEqual(['no heartbeat within 0.8 s'])
  })
})
