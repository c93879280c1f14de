import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { CLOSE_RECONNECT, toWire } from '@pando/protocol'
import { Connection, ROOT_SILENT_REASON, type ConnectionEvents } from '../src/connection.ts'
import { FakeSocket } from './util.ts'

/** The run's heartbeat in these tests: the WebSocket link ticks every half of it, 500 ms. */
const HEARTBEAT_MS = 1_000
const TICK_MS = HEARTBEAT_MS / 2

function connect(): { connection: Connection; events: ConnectionEvents; delays: number[] } {
  const delays: number[] = []
  const events: ConnectionEvents = {
    onOpen: vi.fn(),
    onMessage: vi.fn(),
    onProtocolError: vi.fn(),
    onClose: vi.fn((info: { delay: number }) => delays.push(info.delay)),
  }
  const connection = new Connection('ws://root/volunteer', events, {
    WebSocket: FakeSocket as unknown as typeof WebSocket,
    random: () => 1,
  })
  connection.start(HEARTBEAT_MS)
  return { connection, events, delays }
}

const latest = (): FakeSocket => FakeSocket.instances.at(-1) as FakeSocket

/** A connection whose socket is open. */
function latestAfterOpen(): ReturnType<typeof connect> {
  const connected = connect()
  latest().open()
  return connected
}

describe('Connection', () => {
  beforeEach(() => {
    vi.useFakeTimers()
    FakeSocket.instances.length = 0
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  it('passes on opens and text messages, and sends JSON only when open', () => {
    const { connection, events } = connect()
    connection.send({ type: 'hello', protocolVersion: 1, deviceName: 'x' })
    expect(latest().sent).toEqual([])
    latest().open()
    expect(events.onOpen).toHaveBeenCalledOnce()
    connection.send({ type: 'hello', protocolVersion: 1, deviceName: 'x' })
    expect(JSON.parse(latest().sent[0] as string)).toEqual({
      type: 'hello',
      protocolVersion: 1,
      deviceName: 'x',
    })
    const jobs = [{ id: 3, value: '9' }]
    latest().receive(JSON.stringify(toWire({ type: 'jobs', jobs })))
    expect(events.onMessage).toHaveBeenCalledWith({ type: 'jobs', jobs })
  })

  it("sends a heartbeat every half heartbeat, echoing the root's last one and how long it kept it", () => {
    latestAfterOpen()
    vi.advanceTimersByTime(TICK_MS)
    const first = JSON.parse(latest().sent.at(-1) as string) as Record<string, unknown>
    expect(first).toEqual({ type: 'heartbeat', sentAt: Date.now() })
    latest().receive(JSON.stringify({ type: 'heartbeat', sentAt: 42 }))
    vi.advanceTimersByTime(100)
    latest().receive(JSON.stringify({ type: 'progress', done: 1, total: null }))
    vi.advanceTimersByTime(TICK_MS - 100)
    const second = JSON.parse(latest().sent.at(-1) as string) as Record<string, unknown>
    expect(second).toEqual({ type: 'heartbeat', sentAt: Date.now(), echo: 42, heldMs: TICK_MS })
  })

  it('gives a silent root up within two heartbeats, closing with CLOSE_RECONNECT, then comes back', () => {
    const { events, delays } = latestAfterOpen()
    vi.advanceTimersByTime(1.5 * HEARTBEAT_MS)
    expect(latest().readyState).toBe(1)
    vi.advanceTimersByTime(HEARTBEAT_MS / 2)
    expect(latest().readyState).toBe(3)
    expect(events.onClose).toHaveBeenCalledWith({
      code: CLOSE_RECONNECT,
      reason: ROOT_SILENT_REASON,
      delay: delays[0],
    })
    vi.advanceTimersByTime(delays[0] as number)
    expect(FakeSocket.instances).toHaveLength(2)
  })

  it('keeps a root whose messages come, and takes one it cannot parse for a lost link (its own close)', () => {
    const { events } = latestAfterOpen()
    for (let i = 0; i < 8; i++) {
      vi.advanceTimersByTime(TICK_MS)
      latest().receive('{"type":"heartbeat"}')
    }
    expect(events.onClose).not.toHaveBeenCalled()
    latest().receive('{"type":"nonsense"}')
    expect(events.onProtocolError).toHaveBeenCalledOnce()
    expect(events.onClose).toHaveBeenCalledWith(expect.objectContaining({ code: CLOSE_RECONNECT }))
  })

  it('reconnects after a close with growing delays, reset by resetBackoff()', () => {
    const { connection, delays } = connect()
    latest().close()
    vi.advanceTimersByTime(delays[0] as number)
    expect(FakeSocket.instances).toHaveLength(2)
    latest().close()
    expect(delays[1]).toBe((delays[0] as number) * 2)
    vi.advanceTimersByTime(delays[1] as number)
    connection.resetBackoff()
    latest().close()
    expect(delays[2]).toBe(delays[0])
  })

  it('reconnect() drops the socket and opens a new one', () => {
    const { connection, delays } = connect()
    latest().open()
    connection.reconnect(4002, 'protocol error')
    vi.advanceTimersByTime(delays[0] as number)
    expect(FakeSocket.instances).toHaveLength(2)
  })

  it('stop() closes for good', () => {
    const { connection, events } = connect()
    latest().open()
    connection.stop()
    connection.stop()
    vi.advanceTimersByTime(60_000)
    expect(FakeSocket.instances).toHaveLength(1)
    expect(events.onClose).not.toHaveBeenCalled()
  })
})
