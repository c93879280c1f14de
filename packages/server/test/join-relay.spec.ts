import { once } from 'node:events'
import { mkdtemp } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import { createServer, type JoinSignalForRoot, type PandoServer } from '../src/index.ts'

describe('the /join signaling relay', () => {
  let server: PandoServer | undefined
  const atRoot: JoinSignalForRoot[] = []

  afterEach(async () => {
    await server?.close()
    server = undefined
    atRoot.length = 0
  })

  const start = async (addresses: 'loopback' | 'any' = 'any'): Promise<number> => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'pando-relay-'))
    server = await createServer({
      port: 0,
      host: '127.0.0.1',
      volunteerDir: dir,
      runDir: dir,
      onVolunteer: () => undefined,
      join: { addresses, onJoinSignal: (message) => atRoot.push(message) },
    })
    return server.port
  }

  const joiner = async (port: number): Promise<{ socket: WebSocket; received: unknown[] }> => {
    const socket = new WebSocket(`ws://127.0.0.1:${port}/join`)
    const received: unknown[] = []
    socket.on('message', (data) => received.push(JSON.parse(String(data))))
    await once(socket, 'open')
    return { socket, received }
  }

  const offer = { type: 'offer', sdp: 'v=0\r\na=candidate:1 1 udp 1 127.0.0.1 5000 typ host' }

  it("tags a joiner's signals with an origin of its own and answers that joiner only", async () => {
    const port = await start()
    const a = await joiner(port)
    const b = await joiner(port)
    a.socket.send(JSON.stringify({ type: 'join', seq: 0, weight: 1, signal: offer }))
    b.socket.send(JSON.stringify({ type: 'join', seq: 0, weight: 3, signal: offer, origin: 'forged' }))
    await expect.poll(() => atRoot.length).toBe(2)
    const [fromA, fromB] = atRoot
    expect(fromA).toMatchObject({ type: 'join-signal', seq: 0, weight: 1, signal: offer })
    expect(fromB?.origin).not.toBe('forged')
    expect(fromA?.origin).not.toBe(fromB?.origin)
    server?.sendToJoiner(fromA?.origin ?? '', { type: 'answer', signal: { type: 'answer', sdp: 'v=0' } })
    await expect.poll(() => a.received).toEqual([{ type: 'answer', signal: { type: 'answer', sdp: 'v=0' } }])
    expect(b.received).toEqual([])
  })

  it('drops candidates outside the allowed range, both ways', async () => {
    const port = await start('loopback')
    const a = await joiner(port)
    const lan = {
      type: 'candidate',
      candidate: { candidate: 'candidate:1 1 udp 1 192.168.1.5 5000 typ host' },
    }
    const local = {
      type: 'candidate',
      candidate: { candidate: 'candidate:1 1 udp 1 127.0.0.1 5000 typ host' },
    }
    a.socket.send(JSON.stringify({ type: 'join', seq: 0, weight: 1, signal: lan }))
    a.socket.send(JSON.stringify({ type: 'join', seq: 1, weight: 1, signal: local }))
    await expect.poll(() => atRoot.length).toBe(1)
    expect(atRoot[0]?.signal).toEqual(local)
    server?.sendToJoiner(atRoot[0]?.origin ?? '', { type: 'answer', signal: lan })
    server?.sendToJoiner(atRoot[0]?.origin ?? '', { type: 'answer', signal: local })
    await expect.poll(() => a.received).toEqual([{ type: 'answer', signal: local }])
  })

  it('rejects a malformed message with the reason and closes the attempt', async () => {
    const port = await start()
    const a = await joiner(port)
    a.socket.send(JSON.stringify({ type: 'join', seq: -1, weight: 1, signal: offer }))
    const [code] = (await once(a.socket, 'close')) as [number]
    expect(code).toBe(1008)
    expect(a.received).toEqual([{ type: 'rejected', reason: 'malformed seq' }])
    expect(atRoot).toEqual([])
  })

  it('tells the joiner when the tree rejects its attempt, and closes it', async () => {
    const port = await start()
    const a = await joiner(port)
    a.socket.send(JSON.stringify({ type: 'join', seq: 0, weight: 1, signal: offer }))
    await expect.poll(() => atRoot.length).toBe(1)
    server?.sendToJoiner(atRoot[0]?.origin ?? '', { type: 'rejected', reason: 'the path broke' })
    const [code] = (await once(a.socket, 'close')) as [number]
    expect(code).toBe(1000)
    expect(a.received).toEqual([{ type: 'rejected', reason: 'the path broke' }])
  })

  it('refuses /join when the server has no relay', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'pando-relay-'))
    server = await createServer({
      port: 0,
      host: '127.0.0.1',
      volunteerDir: dir,
      runDir: dir,
      onVolunteer: () => undefined,
    })
    const socket = new WebSocket(`ws://127.0.0.1:${server.port}/join`)
    await once(socket, 'error')
    expect(socket.readyState).not.toBe(WebSocket.OPEN)
  })
})
