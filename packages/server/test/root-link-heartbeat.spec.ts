// The server's end of the root link, watched by the protocol's `Link` as the root watches its own (run
// inside the loopback namespace: real sockets): a root that answers with heartbeats stays, one whose thread
// stalls for two heartbeats stays, and a silent one is dropped with the same words the root would say.
import { once } from 'node:events'
import { mkdtemp, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { ROOT_LINK_VERSION, rootLinkTimeoutMs, silentLinkReason, type ServerToRoot } from '@pando/protocol'
import { afterEach, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import { createHostingServer, type HostingServer, type RootRegistryEvent } from '../src/index.ts'

const SECRET = 'a-secret-of-at-least-sixteen-characters'
const HEARTBEAT_MS = 200
const FILES = [{ name: 'config.json', content: '{"protocolVersion":1}' }]

let server: HostingServer | undefined
let cleanup: (() => void)[] = []
afterEach(async () => {
  for (const step of cleanup.reverse()) step()
  cleanup = []
  await server?.close()
  server = undefined
})

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

/** Starts a server with a short heartbeat; its root-link events go to `events`. */
async function start(events: RootRegistryEvent[]): Promise<number> {
  const volunteerDir = await mkdtemp(path.join(os.tmpdir(), 'pando-page-'))
  await writeFile(path.join(volunteerDir, 'index.html'), '<title>volunteer</title>')
  server = await createHostingServer({
    port: 0,
    host: '127.0.0.1',
    secret: SECRET,
    volunteerDir,
    heartbeatMs: HEARTBEAT_MS,
    onEvent: (event) => events.push(event),
  })
  return Number(new URL(server.urls[0] ?? '').port)
}

/** A root played by the test: registers, then sends a heartbeat whenever `beat()` is called. */
async function register(
  port: number,
): Promise<{ socket: WebSocket; received: ServerToRoot[]; beat(): void }> {
  const socket = new WebSocket(`ws://127.0.0.1:${port}/root`)
  socket.on('error', () => undefined)
  cleanup.push(() => socket.terminate())
  const received: ServerToRoot[] = []
  socket.on('message', (data) => received.push(JSON.parse(String(data)) as ServerToRoot))
  await once(socket, 'open')
  socket.send(JSON.stringify({ type: 'hello', version: ROOT_LINK_VERSION, secret: SECRET }))
  await expect.poll(() => received.some((m) => m.type === 'welcome')).toBe(true)
  socket.send(JSON.stringify({ type: 'run-files', files: FILES }))
  await expect.poll(() => received.some((m) => m.type === 'ready')).toBe(true)
  return { socket, received, beat: () => socket.send(JSON.stringify({ type: 'heartbeat' })) }
}

describe("RootRegistry's watch of the root link (the protocol's Link)", () => {
  it('sends the root heartbeats that measure the round trip, and keeps a root that answers them', async () => {
    const events: RootRegistryEvent[] = []
    const root = await register(await start(events))
    const beats = setInterval(() => root.beat(), HEARTBEAT_MS)
    cleanup.push(() => clearInterval(beats))
    await sleep(rootLinkTimeoutMs(HEARTBEAT_MS) * 3)
    expect(root.socket.readyState).toBe(WebSocket.OPEN)
    expect(events.map((event) => event.type)).toEqual(['registered'])
    const heartbeats = root.received.filter((m) => m.type === 'heartbeat')
    expect(heartbeats.length).toBeGreaterThanOrEqual(5)
    expect(heartbeats[0]).toEqual({ type: 'heartbeat', sentAt: expect.any(Number) })
  })

  it('keeps a root whose thread stalls for two heartbeats at a time', async () => {
    const events: RootRegistryEvent[] = []
    const root = await register(await start(events))
    const beats = setInterval(() => root.beat(), 2 * HEARTBEAT_MS)
    cleanup.push(() => clearInterval(beats))
    await sleep(rootLinkTimeoutMs(HEARTBEAT_MS) * 3)
    expect(root.socket.readyState).toBe(WebSocket.OPEN)
    expect(events.map((event) => event.type)).toEqual(['registered'])
  })

  it('drops a silent root within the timeout, telling it why in the words its own end would use', async () => {
    const events: RootRegistryEvent[] = []
    const root = await register(await start(events))
    const [code, reason] = (await once(root.socket, 'close')) as [number, Buffer]
    const why = silentLinkReason(rootLinkTimeoutMs(HEARTBEAT_MS))
    expect(why).toBe('no heartbeat within 0.8 s')
    expect({ code, reason: String(reason) }).toEqual({ code: 1012, reason: why })
    expect(root.received.at(-1)).toEqual({ type: 'error', reason: why })
    expect(events.at(-1)).toEqual({ type: 'left', address: '127.0.0.1', reason: why })
  })
})
