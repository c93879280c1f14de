import { reconnectDelay, type MonitorMessage } from '@pando/protocol'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { MonitorClient, feedUrl, type ConnectionState } from '../src/monitor-client.ts'
import { statusAt } from './scenario.ts'

type Listener = (event: unknown) => void

/** Just enough of a browser WebSocket for the client. */
class FakeSocket {
  static readonly OPEN = 1
  static readonly created: FakeSocket[] = []
  readonly url: string
  readonly listeners = new Map<string, Listener[]>()
  closed: { code: number; reason: string } | undefined

  constructor(url: string) {
    this.url = url
    FakeSocket.created.push(this)
  }

  addEventListener(type: string, listener: Listener): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener])
  }

  emit(type: string, event: unknown = {}): void {
    for (const listener of this.listeners.get(type) ?? []) listener(event)
  }

  close(code: number, reason: string): void {
    this.closed = { code, reason }
  }
}

describe('MonitorClient', () => {
  const messages: MonitorMessage[] = []
  const states: ConnectionState[] = []
  let client: MonitorClient

  beforeEach(() => {
    vi.useFakeTimers()
    FakeSocket.created.length = 0
    messages.length = 0
    states.length = 0
    client = new MonitorClient(
      'ws://host/monitor/feed',
      { onMessage: (m) => messages.push(m), onState: (s) => states.push(s) },
      { WebSocket: FakeSocket as unknown as typeof WebSocket, random: () => 0.5 },
    )
  })

  afterEach(() => {
    client.stop()
    vi.useRealTimers()
  })

  it('passes valid statuses on and skips anything else', () => {
    client.start()
    const socket = FakeSocket.created[0]
    socket?.emit('open')
    socket?.emit('message', { data: JSON.stringify(statusAt(1)) })
    socket?.emit('message', { data: '{"type":"nonsense"}' })
    socket?.emit('message', { data: 'not json' })
    socket?.emit('message', { data: new ArrayBuffer(2) })
    expect(messages).toEqual([statusAt(1)])
    expect(states).toEqual([{ state: 'connecting' }, { state: 'live' }])
  })

  it('reconnects with a growing delay, reset once a socket opens', () => {
    client.start()
    FakeSocket.created[0]?.emit('close', { code: 1006, reason: '' })
    expect(states.at(-1)).toEqual({ state: 'reconnecting', delay: reconnectDelay(0, () => 0.5), reason: '' })
    vi.advanceTimersByTime(reconnectDelay(0, () => 0.5))
    expect(FakeSocket.created).toHaveLength(2)
    FakeSocket.created[1]?.emit('close', { code: 1006, reason: '' })
    expect(states.at(-1)).toMatchObject({ delay: reconnectDelay(1, () => 0.5) })
    vi.advanceTimersByTime(reconnectDelay(1, () => 0.5))
    FakeSocket.created[2]?.emit('open')
    FakeSocket.created[2]?.emit('close', { code: 1001, reason: 'pando is shutting down' })
    expect(states.at(-1)).toEqual({
      state: 'reconnecting',
      delay: reconnectDelay(0, () => 0.5),
      reason: 'pando is shutting down',
    })
  })

  it('stays closed after stop()', () => {
    client.start()
    const socket = FakeSocket.created[0]
    client.stop()
    expect(socket?.closed).toEqual({ code: 1000, reason: 'dashboard closed' })
    socket?.emit('close', { code: 1000, reason: '' })
    vi.advanceTimersByTime(60_000)
    expect(FakeSocket.created).toHaveLength(1)
  })
})

describe('reconnectDelay', () => {
  it('doubles from 250 ms up to 4 s, with half of it random', () => {
    expect(reconnectDelay(0, () => 0)).toBe(125)
    expect(reconnectDelay(0, () => 1)).toBe(250)
    expect(reconnectDelay(3, () => 1)).toBe(2_000)
    expect(reconnectDelay(30, () => 1)).toBe(4_000)
    expect(reconnectDelay(30, () => 0)).toBe(2_000)
  })
})

describe('feedUrl', () => {
  it('resolves the feed next to the page, with the WebSocket scheme', () => {
    expect(feedUrl('http://host:5000/monitor/', 'feed')).toBe('ws://host:5000/monitor/feed')
    expect(feedUrl('https://example.org/pando/monitor/?x=1#top', 'feed')).toBe(
      'wss://example.org/pando/monitor/feed',
    )
  })

  it("carries the page's access token, and no other parameter", () => {
    expect(feedUrl('http://host:5000/monitor/?token=abc-_1&x=1#top', 'feed')).toBe(
      'ws://host:5000/monitor/feed?token=abc-_1',
    )
  })
})
