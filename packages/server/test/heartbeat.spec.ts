// The WebSocket heartbeat against real sockets on the loopback (run inside the loopback namespace):
// unsolicited pongs keep no one alive, and the server's own stalls cost no client its connection.
import { once } from 'node:events'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { WebSocket, WebSocketServer } from 'ws'
import { LoopStall, startHeartbeat } from '../src/index.ts'

const INTERVAL_MS = 100

let cleanup: (() => void)[] = []
afterEach(() => {
  for (const step of cleanup.reverse()) step()
  cleanup = []
})

async function serve(): Promise<{ wss: WebSocketServer; url: string }> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 })
  await once(wss, 'listening')
  const stop = startHeartbeat(wss, INTERVAL_MS)
  cleanup.push(() => {
    stop()
    for (const client of wss.clients) client.terminate()
    wss.close()
  })
  return { wss, url: `ws://127.0.0.1:${String((wss.address() as AddressInfo).port)}` }
}

async function connect(url: string, autoPong: boolean): Promise<WebSocket> {
  const socket = new WebSocket(url, { autoPong })
  socket.on('error', () => undefined)
  cleanup.push(() => socket.terminate())
  await once(socket, 'open')
  return socket
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

describe('startHeartbeat', () => {
  it('terminates a client that answers no ping, however many unsolicited pongs it sends', async () => {
    const { url } = await serve()
    const liar = await connect(url, false)
    const pongs = setInterval(() => {
      liar.pong('unasked')
      liar.pong(performance.now().toFixed(3)) // a stamp of its own clock, not one the server sent
    }, INTERVAL_MS / 10)
    cleanup.push(() => clearInterval(pongs))
    const [code] = (await once(liar, 'close')) as [number]
    expect(code).toBe(1006) // terminated, not closed
  })

  it('keeps a client sending a long message, whose pong waits behind it, and terminates it once it stops', async () => {
    const { wss, url } = await serve()
    // Pongs off: an answer would wait behind the message, as on a slow uplink.
    const uploader = await connect(url, false)
    const fragments = setInterval(() => uploader.send('x'.repeat(64), { fin: false }), INTERVAL_MS / 5)
    cleanup.push(() => clearInterval(fragments))
    await sleep(INTERVAL_MS * 8)
    expect(wss.clients.size).toBe(1)
    clearInterval(fragments)
    const [code] = (await once(uploader, 'close')) as [number]
    expect(code).toBe(1006)
  })

  it('keeps a client that answers its pings', async () => {
    const { wss, url } = await serve()
    await connect(url, true)
    await sleep(INTERVAL_MS * 8)
    expect(wss.clients.size).toBe(1)
  })

  it('keeps a client whose pongs wait unread while the server itself is stalled', async () => {
    const { wss, url } = await serve()
    let stallNext = false
    wss.on('connection', (socket) => {
      const ping = socket.ping.bind(socket)
      socket.ping = (...args: Parameters<WebSocket['ping']>) => {
        ping(...args)
        if (!stallNext) return
        stallNext = false
        // Right after a ping: the server's loop is blocked for five intervals (a synchronous module, a
        // huge frame to parse) while the answer to that ping waits unread.
        const until = performance.now() + INTERVAL_MS * 5
        while (performance.now() < until);
      }
    })
    const honest = await connect(url, true)
    let closed = false
    honest.on('close', () => (closed = true))
    await sleep(INTERVAL_MS * 2)
    stallNext = true
    await sleep(INTERVAL_MS * 10)
    expect(stallNext).toBe(false)
    expect(closed).toBe(false)
    expect(wss.clients.size).toBe(1)
  })
})

describe('LoopStall', () => {
  it('tells a tick a whole interval late or more from one on time', () => {
    let now = 0
    const stall = new LoopStall(100, () => now)
    now = 105
    expect(stall.stalled()).toBe(false)
    now = 250 // 45 ms late
    expect(stall.stalled()).toBe(false)
    now = 600 // 250 ms late
    expect(stall.stalled()).toBe(true)
    now = 700
    expect(stall.stalled()).toBe(false)
  })
})
