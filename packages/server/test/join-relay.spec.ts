import { once } from 'node:events'
import { mkdtemp } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import { JOIN_ATTEMPT_BURST, MAX_OPEN_JOINS_PER_ADDRESS } from '../src/constants.ts'
import { JoinRelay, RELAY_FAILED_REASON, limitKey } from '../src/join-relay.ts'
import {
  createServer,
  type JoinRelayOptions,
  type JoinSignalForRoot,
  type PandoServer,
} from '../src/index.ts'

describe('the /join signaling relay', () => {
  let server: PandoServer | undefined
  const atRoot: JoinSignalForRoot[] = []

  afterEach(async () => {
    await server?.close()
    server = undefined
    atRoot.length = 0
  })

  /** The relay's options a test sets besides the range (limits, a root that fails). */
  type Extra = Partial<JoinRelayOptions>

  const start = async (addresses: 'loopback' | 'any' = 'any', limits: Extra = {}): Promise<number> => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'pando-relay-'))
    server = await createServer({
      port: 0,
      host: '127.0.0.1',
      volunteerDir: dir,
      runDir: dir,
      onVolunteer: () => undefined,
      join: { addresses, onJoinSignal: (message) => atRoot.push(message), ...limits },
    })
    return server.port
  }

  interface Joiner {
    readonly socket: WebSocket
    readonly received: unknown[]
    /** How the relay closed it: code and reason. */
    readonly closed: Promise<[number, string]>
  }

  const joiner = async (port: number): Promise<Joiner> => {
    const socket = new WebSocket(`ws://127.0.0.1:${port}/join`)
    const received: unknown[] = []
    socket.on('message', (data) => received.push(JSON.parse(String(data))))
    const closed = once(socket, 'close').then(([code, reason]) => [code, String(reason)] as [number, string])
    await once(socket, 'open')
    return { socket, received, closed }
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

  it('closes the attempt with 1011, not blaming the joiner, when handing its signal on fails, and reports the bug', async () => {
    const bugs: unknown[] = []
    const port = await start('any', {
      onJoinSignal: () => {
        throw new TypeError('a bug in the root')
      },
      onInternalError: (error) => bugs.push(error),
    })
    const a = await joiner(port)
    a.socket.send(JSON.stringify({ type: 'join', seq: 0, weight: 1, signal: offer }))
    const [code, reason] = await a.closed
    expect(code).toBe(1011)
    expect(reason).toBe(RELAY_FAILED_REASON)
    expect(a.received).toEqual([{ type: 'rejected', reason: RELAY_FAILED_REASON }])
    expect(bugs).toEqual([new TypeError('a bug in the root')])
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

  it('closes an attempt that sends a frame ws refuses (too large, not UTF-8), and goes on', async () => {
    const port = await start()
    const large = await joiner(port)
    large.socket.send('x'.repeat(70_000))
    expect((await large.closed)[0]).toBe(1009)
    const garbled = await joiner(port)
    garbled.socket.send(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), { binary: false })
    expect((await garbled.closed)[0]).toBe(1007)
    const fine = await joiner(port)
    fine.socket.send(JSON.stringify({ type: 'join', seq: 0, weight: 1, signal: offer }))
    await expect.poll(() => atRoot.length).toBe(1)
  })

  describe('join limits per address', () => {
    const tooMany = /^too many join attempts from this address \(2 at once, 60 a minute\): try again in 1 s$/

    it('rejects attempts over the burst with the reason, and admits again as the budget refills', async () => {
      // 60 a minute: one attempt earned back each second.
      const port = await start('any', { attemptBurst: 2, attemptsPerMinute: 60 })
      const admitted = [await joiner(port), await joiner(port)]
      const refused = await joiner(port)
      const [code, reason] = await refused.closed
      expect(code).toBe(1013)
      expect(reason).toMatch(tooMany)
      expect(refused.received).toEqual([{ type: 'rejected', reason }])
      // Closing attempts gives no budget back: only time does.
      for (const { socket } of admitted) socket.close()
      await Promise.all(admitted.map(({ closed }) => closed))
      const refusedAgain = await joiner(port)
      expect((await refusedAgain.closed)[0]).toBe(1013)
      await new Promise((resolve) => setTimeout(resolve, 1_100))
      const later = await joiner(port)
      later.socket.send(JSON.stringify({ type: 'join', seq: 0, weight: 1, signal: offer }))
      await expect.poll(() => atRoot.length).toBe(1)
      expect(later.received).toEqual([])
    })

    it('rejects attempts over the number open at once, and admits one again when another closes', async () => {
      const port = await start('any', { maxOpenAttempts: 2 })
      const [first] = [await joiner(port), await joiner(port)]
      const refused = await joiner(port)
      const [code, reason] = await refused.closed
      expect(code).toBe(1013)
      expect(reason).toBe('too many join attempts open from this address (2): try again later')
      expect(refused.received).toEqual([{ type: 'rejected', reason }])
      first?.socket.close()
      await first?.closed
      const next = await joiner(port)
      next.socket.send(JSON.stringify({ type: 'join', seq: 0, weight: 1, signal: offer }))
      await expect.poll(() => atRoot.length).toBe(1)
    })

    it('admits 100 attempts at once from one address with the defaults, as the browser tests open', async () => {
      expect(JOIN_ATTEMPT_BURST).toBeGreaterThanOrEqual(100)
      expect(MAX_OPEN_JOINS_PER_ADDRESS).toBeGreaterThanOrEqual(100)
      const port = await start()
      const joiners = await Promise.all(Array.from({ length: 100 }, () => joiner(port)))
      for (const { socket } of joiners) {
        socket.send(JSON.stringify({ type: 'join', seq: 0, weight: 1, signal: offer }))
      }
      await expect.poll(() => atRoot.length).toBe(100)
      for (const { socket } of joiners) expect(socket.readyState).toBe(WebSocket.OPEN)
    })

    it('refuses limits that are not positive numbers', () => {
      const onJoinSignal = (): void => undefined
      expect(() => new JoinRelay({ onJoinSignal, attemptBurst: 0 })).toThrow(RangeError)
      expect(() => new JoinRelay({ onJoinSignal, attemptsPerMinute: Number.NaN })).toThrow(RangeError)
      expect(() => new JoinRelay({ onJoinSignal, maxOpenAttempts: -1 })).toThrow(RangeError)
    })
  })

  describe('limitKey', () => {
    it('counts IPv4 addresses one by one, IPv4-mapped ones as IPv4', () => {
      expect(limitKey('192.0.2.7')).toBe('192.0.2.7')
      expect(limitKey('::ffff:192.0.2.7')).toBe('192.0.2.7')
      expect(limitKey(undefined)).toBe('unknown')
    })

    it('counts IPv6 addresses by their /64, however they are written', () => {
      const key = '2001:db8:0:1::/64'
      expect(limitKey('2001:db8:0:1::1')).toBe(key)
      expect(limitKey('2001:0db8:0000:0001:ffff:1:2:3')).toBe(key)
      expect(limitKey('2001:db8::1:0:0:1')).toBe('2001:db8:0:0::/64')
      expect(limitKey('fe80::1%eth0')).toBe('fe80:0:0:0::/64')
      expect(limitKey('::1')).toBe('0:0:0:0::/64')
      expect(limitKey('64:ff9b::192.0.2.7')).toBe('64:ff9b:0:0::/64')
    })
  })
})
