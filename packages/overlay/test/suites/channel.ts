// A compliance suite for Channel implementations: the memory channel runs it here; the simple-peer
// channel can run the same in a browser project later.
import { describe, expect, it } from 'vitest'
import type { Connector, PeerChannel } from '../../src/index.ts'

export interface ChannelSuiteSetup {
  /** A connector whose two channels (initiator and not) can reach each other. */
  connector(): Connector
  /** Lets pending deliveries happen. */
  settle(): Promise<void>
}

/** Connects two channels of `connector`, carrying the signals between them directly. */
export function connectPair(connector: Connector): [PeerChannel, PeerChannel] {
  const a = connector.create({ initiator: true })
  const b = connector.create({ initiator: false })
  a.on('signal', (signal) => b.signal(signal))
  b.on('signal', (signal) => a.signal(signal))
  return [a, b]
}

async function until(setup: ChannelSuiteSetup, condition: () => boolean, rounds = 1_000): Promise<void> {
  for (let i = 0; i < rounds && !condition(); i++) await setup.settle()
  expect(condition()).toBe(true)
}

export function channelSuite(name: string, setup: ChannelSuiteSetup): void {
  describe(`${name} (Channel compliance)`, () => {
    it('opens both ends once the signals are exchanged', async () => {
      const [a, b] = connectPair(setup.connector())
      expect([a.state, b.state]).toEqual(['connecting', 'connecting'])
      await until(setup, () => a.state === 'open' && b.state === 'open')
    })

    it('delivers messages in order, both ways', async () => {
      const [a, b] = connectPair(setup.connector())
      const atA: unknown[] = []
      const atB: unknown[] = []
      a.on('message', (m) => atA.push(m))
      b.on('message', (m) => atB.push(m))
      await until(setup, () => a.state === 'open' && b.state === 'open')
      for (let i = 0; i < 50; i++) a.send({ n: i })
      b.send(['x', 1, null])
      await until(setup, () => atB.length === 50 && atA.length === 1)
      expect(atB).toEqual(Array.from({ length: 50 }, (_, n) => ({ n })))
      expect(atA).toEqual([['x', 1, null]])
    })

    it('throws NotOpenError on send before open', () => {
      const [a] = connectPair(setup.connector())
      expect(() => a.send('early')).toThrow(expect.objectContaining({ name: 'NotOpenError' }))
    })

    it('closes the other end too, emitting close exactly once on each', async () => {
      const [a, b] = connectPair(setup.connector())
      const closes = { a: 0, b: 0 }
      a.on('close', () => closes.a++)
      b.on('close', () => closes.b++)
      await until(setup, () => a.state === 'open' && b.state === 'open')
      a.close()
      a.close()
      expect(a.state).toBe('closed')
      await until(setup, () => b.state === 'closed')
      b.close()
      await setup.settle()
      expect(closes).toEqual({ a: 1, b: 1 })
    })

    it('throws ClosedError on send and signal after close', async () => {
      const [a, b] = connectPair(setup.connector())
      await until(setup, () => a.state === 'open' && b.state === 'open')
      a.close()
      expect(() => a.send('late')).toThrow(expect.objectContaining({ name: 'ClosedError' }))
      expect(() => a.signal({})).toThrow(expect.objectContaining({ name: 'ClosedError' }))
    })
  })
}
