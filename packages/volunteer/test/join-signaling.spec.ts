import type { Signal } from '@pando/overlay'
import { beforeEach, describe, expect, it } from 'vitest'
import { JoinSignaling } from '../src/join-signaling.ts'
import { FakeSocket } from './util.ts'

function openSession(): {
  session: ReturnType<JoinSignaling['open']>
  socket: FakeSocket
  signals: Signal[]
  rejections: string[]
} {
  const signals: Signal[] = []
  const rejections: string[] = []
  const client = new JoinSignaling('ws://root/join', { WebSocket: FakeSocket as unknown as typeof WebSocket })
  const session = client.open({
    signal: (signal) => signals.push(signal),
    rejected: (reason) => rejections.push(reason),
  })
  return { session, socket: FakeSocket.instances.at(-1) as FakeSocket, signals, rejections }
}

describe('JoinSignaling', () => {
  beforeEach(() => {
    FakeSocket.instances.length = 0
  })

  describe('#open', () => {
    it('opens one socket per attempt and sends its signals in order, queued until it opens', () => {
      const { session, socket } = openSession()
      openSession()
      expect(FakeSocket.instances.map((s) => s.url)).toEqual(['ws://root/join', 'ws://root/join'])
      session.send({ seq: 0, weight: 1, signal: { type: 'offer', sdp: 'v=0' } })
      expect(socket.sent).toEqual([])
      socket.open()
      session.send({ seq: 1, weight: 1, signal: { candidate: 'c' } })
      expect(socket.sent.map((data) => JSON.parse(data) as unknown)).toEqual([
        { type: 'join', seq: 0, weight: 1, signal: { type: 'offer', sdp: 'v=0' } },
        { type: 'join', seq: 1, weight: 1, signal: { candidate: 'c' } },
      ])
    })

    it("hands the relay's answers to the attempt", () => {
      const { socket, signals, rejections } = openSession()
      socket.open()
      socket.receive(JSON.stringify({ type: 'answer', signal: { type: 'answer', sdp: 'v=0' } }))
      expect(signals).toEqual([{ type: 'answer', sdp: 'v=0' }])
      expect(rejections).toEqual([])
    })

    it('rejects the attempt once when the relay rejects it, sends nonsense, or the socket closes', () => {
      const rejected = openSession()
      rejected.socket.receive(JSON.stringify({ type: 'rejected', reason: 'path broke' }))
      rejected.socket.close()
      expect(rejected.rejections).toEqual(['path broke'])

      const nonsense = openSession()
      nonsense.socket.receive('{"type":"answer"}')
      expect(nonsense.rejections).toEqual([
        'the signaling relay sent a message this page does not understand',
      ])
      expect(nonsense.socket.readyState).toBe(3)

      const closed = openSession()
      closed.socket.close(1006)
      expect(closed.rejections).toEqual(['the signaling connection closed'])
    })

    it('drops everything after the session is closed', () => {
      const { session, socket, signals, rejections } = openSession()
      socket.open()
      session.close()
      session.send({ seq: 0, weight: 1, signal: {} })
      socket.receive(JSON.stringify({ type: 'answer', signal: {} }))
      expect([socket.sent, signals, rejections]).toEqual([[], [], []])
    })
  })

  describe('#preconnect', () => {
    const handlers = (signals: Signal[], rejections: string[]) => ({
      signal: (signal: Signal) => signals.push(signal),
      rejected: (reason: string) => rejections.push(reason),
    })
    const client = (): JoinSignaling =>
      new JoinSignaling('ws://root/join', { WebSocket: FakeSocket as unknown as typeof WebSocket })

    it("opens the first attempt's socket ahead, once; the attempt after it opens its own", () => {
      const signaling = client()
      signaling.preconnect()
      signaling.preconnect()
      expect(FakeSocket.instances).toHaveLength(1)
      const ahead = FakeSocket.instances[0] as FakeSocket
      ahead.open()
      const session = signaling.open(handlers([], []))
      expect(FakeSocket.instances).toHaveLength(1)
      session.send({ seq: 0, weight: 1, signal: { type: 'offer', sdp: 'v=0' } })
      expect(ahead.sent).toHaveLength(1)
      signaling.open(handlers([], []))
      expect(FakeSocket.instances).toHaveLength(2)
    })

    it('hands the attempt what the socket got before the attempt took it', async () => {
      const signaling = client()
      signaling.preconnect()
      const ahead = FakeSocket.instances[0] as FakeSocket
      ahead.open()
      ahead.receive(JSON.stringify({ type: 'rejected', reason: 'too many attempts' }))
      const rejections: string[] = []
      signaling.open(handlers([], rejections))
      expect(rejections).toEqual([])
      await Promise.resolve()
      expect(rejections).toEqual(['too many attempts'])
    })

    it('opens a new socket when the one opened ahead has closed', () => {
      const signaling = client()
      signaling.preconnect()
      ;(FakeSocket.instances[0] as FakeSocket).close(1006)
      const rejections: string[] = []
      signaling.open(handlers([], rejections))
      expect(FakeSocket.instances).toHaveLength(2)
      expect(rejections).toEqual([])
    })

    it('closes the socket opened ahead when the page does not join', () => {
      const signaling = client()
      signaling.preconnect()
      signaling.dropPreconnected()
      expect((FakeSocket.instances[0] as FakeSocket).readyState).toBe(3)
      signaling.open(handlers([], []))
      expect(FakeSocket.instances).toHaveLength(2)
    })
  })
})
