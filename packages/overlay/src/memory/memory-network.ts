import type { Connector } from '../channel.ts'
import type { Clock } from '../clock.ts'
import { systemClock } from '../clock.ts'
import { MEMORY_TRICKLE_SIGNALS } from '../constants.ts'
import type { Random } from '../random.ts'
import { MemoryChannel } from './memory-channel.ts'

/** Settings of a {@link MemoryNetwork}. */
export interface MemoryNetworkOptions {
  /**
   * One-way delay of every message, signal and close, in ms of `clock`, drawn uniformly from
   * [min, max]; order per direction is kept. Absent: everything is delivered on a microtask.
   */
  readonly latencyMs?: { readonly min: number; readonly max: number }
  /** The clock latencies are measured on (a {@link VirtualClock} for simulations). @default systemClock */
  readonly clock?: Clock
  /** Draws latencies and the relay's origins. @default Math.random */
  readonly random?: Random
  /** Signals an initiator emits after its offer. @default MEMORY_TRICKLE_SIGNALS (2) */
  readonly trickle?: number
  /** Sends every message through `JSON.stringify`/`JSON.parse`, to catch values JSON would not keep. @default false */
  readonly json?: boolean
}

/** Counters of a {@link MemoryNetwork}. */
export interface MemoryNetworkStats {
  /** Channels created. */
  channels: number
  /** Messages sent on channels (signals and relay traffic not included). */
  messages: number
}

/**
 * An ordered, one-way delivery line: tasks pushed into it run in push order, each after the network's
 * latency. Every channel end and each direction of a relayed join attempt has its own. It keeps one timer at a time, so
 * the order holds on any clock, whatever its timers do with equal or fractional delays.
 */
export class Pipe {
  private readonly queue: { readonly at: number; readonly task: () => void }[] = []
  private head = 0
  private armed = false

  constructor(private readonly network: MemoryNetwork) {}

  push(task: () => void): void {
    const delay = this.network.sampleLatency()
    if (delay === undefined) {
      void Promise.resolve().then(task)
      return
    }
    const now = this.network.clock.now()
    const last = this.queue[this.queue.length - 1]
    this.queue.push({ at: Math.max(last?.at ?? now, now + delay), task })
    if (!this.armed) this.arm()
  }

  private arm(): void {
    const next = this.queue[this.head]
    if (next === undefined) return
    this.armed = true
    this.network.clock.setTimeout(() => this.fire(), next.at - this.network.clock.now())
  }

  /** Runs the due tasks (at least the first: a system timer may fire a fraction of a ms early). */
  private fire(): void {
    this.armed = false
    const now = this.network.clock.now()
    let first = true
    for (let next = this.queue[this.head]; next !== undefined && (first || next.at <= now);) {
      first = false
      this.head++
      next.task()
      next = this.queue[this.head]
    }
    if (this.head > 1_024 && this.head * 2 > this.queue.length) {
      this.queue.splice(0, this.head)
      this.head = 0
    }
    this.arm()
  }
}

/**
 * An in-process network for channels and a signaling relay: what tests and simulations run the overlay
 * on. Channels made by its {@link MemoryNetwork.connector} connect through signals like WebRTC ones: the
 * initiator emits an offer and `trickle` candidates, the other end answers once it has all of them, and
 * both open when the answer has reached the initiator.
 */
export class MemoryNetwork {
  readonly stats: MemoryNetworkStats = { channels: 0, messages: 0 }
  readonly clock: Clock
  readonly random: Random
  readonly trickle: number
  readonly json: boolean
  readonly connector: Connector
  private readonly latency: { readonly min: number; readonly max: number } | undefined
  private readonly endpoints = new Map<string, MemoryChannel>()
  private nextId = 0

  constructor(options: MemoryNetworkOptions = {}) {
    this.clock = options.clock ?? systemClock
    this.random = options.random ?? Math.random
    this.trickle = options.trickle ?? MEMORY_TRICKLE_SIGNALS
    this.json = options.json ?? false
    this.latency = options.latencyMs
    if (this.latency !== undefined && !(this.latency.min >= 0 && this.latency.max >= this.latency.min)) {
      throw new RangeError('latencyMs must have 0 ≤ min ≤ max')
    }
    if (!Number.isSafeInteger(this.trickle) || this.trickle < 0) throw new RangeError('trickle must be ≥ 0')
    this.connector = { create: ({ initiator }) => this.createChannel(initiator, initiator) }
  }

  /** Two channels linked to each other, opening without signals: for testing channel users. */
  pair(): [MemoryChannel, MemoryChannel] {
    const a = this.createChannel(true, false)
    const b = this.createChannel(false, false)
    this.link(a, b)
    return [a, b]
  }

  /** A new, independent delivery line. */
  createPipe(): Pipe {
    return new Pipe(this)
  }

  /** A one-way delay drawn from the latency range, in ms; undefined when delivering on microtasks. */
  sampleLatency(): number | undefined {
    if (this.latency === undefined) return undefined
    const { min, max } = this.latency
    return min + (max - min) * this.random()
  }

  /** Runs `task` after what is running now, with no latency. */
  soon(task: () => void): void {
    if (this.latency === undefined) void Promise.resolve().then(task)
    else this.clock.setTimeout(task, 0)
  }

  /** The open or connecting channel end with this id. */
  lookup(id: string): MemoryChannel | undefined {
    return this.endpoints.get(id)
  }

  /** Forgets a closed channel end. */
  unregister(channel: MemoryChannel): void {
    this.endpoints.delete(channel.id)
  }

  /** Connects `initiator` to `other`: the initiator opens now, the other end after one latency. */
  link(initiator: MemoryChannel, other: MemoryChannel): void {
    initiator.remote = other
    other.remote = initiator
    this.soon(() => initiator.opened())
    initiator.out.push(() => other.opened())
  }

  private createChannel(initiator: boolean, signals: boolean): MemoryChannel {
    const channel = new MemoryChannel(this, `m${String(this.nextId++)}`, initiator, signals)
    this.endpoints.set(channel.id, channel)
    this.stats.channels++
    return channel
  }
}

/** Creates a {@link MemoryNetwork}. */
export function createMemoryNetwork(options: MemoryNetworkOptions = {}): MemoryNetwork {
  return new MemoryNetwork(options)
}
