import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { Connection, type ConnectionEvents } from '../src/connection.ts'
import { FakeSocket } from './util.ts'

function connect(): { connection: Connection; events: ConnectionEvents; delays: number[] } {
  const delays: number[] = []
  const events: ConnectionEvents = {
    onOpen: vi.fn(),
    onMessage: vi.fn(),
    onClose: vi.fn((info: { delay: number }) => delays.push(info.delay)),
  }
  const connection = new Connection('ws://root/volunteer', events, {
    WebSocket: FakeSocket as unknown as typeof WebSocket,
    random: () => 1,
  })
  connection.start()
  return { connection, events, delays }
}

const latest = (): FakeSocket => FakeSocket.instances.at(-1) as FakeSocket

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
    latest().receive('{"type":"jobs","jobs":[]}')
    expect(events.onMessage).toHaveBeenCalledWith('{"type":"jobs","jobs":[]}')
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
