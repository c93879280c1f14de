import { describe, expect, it } from 'vitest'
import {
  createMemoryNetwork,
  createMemorySignaling,
  createSeededRandom,
  createVirtualClock,
  Emitter,
  type MemoryChannel,
  type TreeNodeEvents,
} from '../src/index.ts'
import { channelSuite, connectPair, peerSetup } from './suites/channel.ts'

const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0))

channelSuite(
  'MemoryChannel, microtask delivery',
  peerSetup(() => createMemoryNetwork().connector, settle),
)

channelSuite(
  'MemoryChannel, random latency on the system clock',
  peerSetup(
    () => createMemoryNetwork({ latencyMs: { min: 0, max: 3 }, json: true }).connector,
    () => new Promise((resolve) => setTimeout(resolve, 2)),
  ),
)

describe('MemoryChannel', () => {
  function virtualNetwork(trickle = 2) {
    const clock = createVirtualClock()
    const network = createMemoryNetwork({
      clock,
      random: createSeededRandom(9),
      latencyMs: { min: 1, max: 40 },
      trickle,
    })
    return { clock, network }
  }

  it('keeps the order of messages under random latency', () => {
    const { clock, network } = virtualNetwork()
    const [a, b] = network.pair()
    const got: number[] = []
    b.on('message', (m) => got.push(m as number))
    clock.run({ forMs: 0 })
    for (let i = 0; i < 200; i++) clock.setTimeout(() => a.send(i), i)
    clock.run({ forMs: 1_000 })
    expect(got).toEqual(Array.from({ length: 200 }, (_, i) => i))
  })

  it('emits an offer and `trickle` candidates, and answers only once it has them all, in order', () => {
    const { clock, network } = virtualNetwork(3)
    const a = network.connector.create({ initiator: true })
    const b = network.connector.create({ initiator: false })
    const fromA: unknown[] = []
    const fromB: unknown[] = []
    a.on('signal', (s) => fromA.push(s))
    b.on('signal', (s) => fromB.push(s))
    clock.run({ forMs: 0 })
    expect(fromA.map((s) => (s as { kind: string }).kind)).toEqual([
      'offer',
      'candidate',
      'candidate',
      'candidate',
    ])
    for (const s of fromA.slice(0, 3)) b.signal(s as never)
    clock.run({ forMs: 0 })
    expect(fromB).toEqual([])
    b.signal(fromA[3] as never)
    clock.run({ forMs: 0 })
    expect(fromB).toEqual([{ kind: 'answer', from: (b as MemoryChannel).id }])
  })

  it('fails with a SignalError, then closes, on a signal out of order', () => {
    const { clock, network } = virtualNetwork()
    const a = network.connector.create({ initiator: true })
    const b = network.connector.create({ initiator: false })
    const signals: unknown[] = []
    const events: string[] = []
    a.on('signal', (s) => signals.push(s))
    b.on('error', (e) => events.push(e.name))
    b.on('close', () => events.push('close'))
    clock.run({ forMs: 0 })
    b.signal(signals[1] as never)
    expect(events).toEqual(['SignalError', 'close'])
    expect(b.state).toBe('closed')
  })

  it('goes silent when frozen: nothing is delivered, not even a close', () => {
    const { clock, network } = virtualNetwork()
    const [a, b] = connectPair(network.connector) as [MemoryChannel, MemoryChannel]
    clock.run({ forMs: 500 })
    const got: unknown[] = []
    b.on('message', (m) => got.push(m))
    a.freeze()
    a.send('lost')
    a.close()
    clock.run({ forMs: 500 })
    expect(got).toEqual([])
    expect(b.state).toBe('open')
  })

  it('sends every message through JSON when asked to', async () => {
    const network = createMemoryNetwork({ json: true })
    const [a, b] = network.pair()
    const got: unknown[] = []
    b.on('message', (m) => got.push(m))
    await settle()
    a.send({ when: new Date(0), skip: undefined })
    await settle()
    expect(got).toEqual([{ when: '1970-01-01T00:00:00.000Z' }])
    expect(network.stats.messages).toBe(1)
  })

  it('rejects a latency range with min > max', () => {
    expect(() => createMemoryNetwork({ latencyMs: { min: 5, max: 1 } })).toThrow(RangeError)
  })
})

describe('MemorySignaling', () => {
  it('tags each session with its own origin and returns answers to that session only', async () => {
    const network = createMemoryNetwork()
    const relay = createMemorySignaling(network)
    const joins: { origin: string; seq: number }[] = []
    const entry = new Emitter<Pick<TreeNodeEvents, 'answer-signal' | 'join-rejected'>>()
    relay.serve(
      Object.assign(entry, { handleJoinSignal: (m: { origin: string; seq: number }) => joins.push(m) }),
    )
    const answersOf = [[], []] as unknown[][]
    const sessions = [0, 1].map((i) =>
      relay.open({
        signal: (s) => answersOf[i]?.push(s),
        rejected: (r) => answersOf[i]?.push(`rejected: ${r}`),
      }),
    )
    sessions[0]?.send({ seq: 0, weight: 1, signal: 'a' })
    sessions[1]?.send({ seq: 0, weight: 1, signal: 'b' })
    await settle()
    expect(joins).toHaveLength(2)
    expect(joins[0]?.origin).not.toBe(joins[1]?.origin)
    entry.emit('answer-signal', { type: 'answer-signal', origin: joins[1]?.origin ?? '', signal: 'for b' })
    entry.emit('join-rejected', { type: 'join-rejected', origin: joins[0]?.origin ?? '', reason: 'a' })
    await settle()
    expect(answersOf).toEqual([['rejected: a'], ['for b']])
    sessions[1]?.close()
    entry.emit('answer-signal', { type: 'answer-signal', origin: joins[1]?.origin ?? '', signal: 'late' })
    await settle()
    expect(answersOf).toEqual([['rejected: a'], ['for b']])
  })
})
