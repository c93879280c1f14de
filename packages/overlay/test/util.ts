// Test doubles: channels and a connector whose every step the test drives by hand.
import {
  ClosedError,
  createTreeNode,
  createVirtualClock,
  Emitter,
  NotOpenError,
  type ChannelState,
  type Connector,
  type JoinRequest,
  type JoinSignalMessage,
  type PeerChannel,
  type PeerChannelEvents,
  type Signal,
  type AttemptHandlers,
  type TreeNode,
  type TreeNodeOptions,
  type SignalingClient,
  type SignalingAttempt,
} from '../src/index.ts'

/** A channel that opens, receives and closes when the test says so, and records what it was given. */
export class StubChannel extends Emitter<PeerChannelEvents> implements PeerChannel {
  state: ChannelState = 'connecting'
  /** Signals passed to `signal()`. */
  readonly signals: Signal[] = []
  /** Messages passed to `send()`. */
  readonly sent: unknown[] = []

  constructor(readonly initiator: boolean) {
    super()
  }

  send(message: unknown): void {
    if (this.state === 'connecting') throw new NotOpenError()
    if (this.state === 'closed') throw new ClosedError()
    this.sent.push(message)
  }

  close(): void {
    if (this.state === 'closed') return
    this.state = 'closed'
    this.emit('close')
  }

  signal(signal: Signal): void {
    if (this.state === 'closed') throw new ClosedError()
    this.signals.push(signal)
  }

  /** The remote side connected. */
  open(): void {
    this.state = 'open'
    this.emit('open')
  }

  /** A message from the remote side. */
  deliver(message: unknown): void {
    this.emit('message', message)
  }

  /** Sent messages of one type. */
  sentOf<T extends { type: string }>(type: T['type']): T[] {
    return this.sent.filter((m): m is T => (m as { type?: unknown }).type === type)
  }
}

/** A connector that makes {@link StubChannel}s and keeps them, in creation order. */
export class StubConnector implements Connector {
  readonly created: StubChannel[] = []

  create({ initiator }: { initiator: boolean }): StubChannel {
    const channel = new StubChannel(initiator)
    this.created.push(channel)
    return channel
  }

  /** The channel created n-th (0-based); throws if there is none. */
  at(n: number): StubChannel {
    const channel = this.created[n]
    if (channel === undefined) throw new Error(`no channel ${String(n)}`)
    return channel
  }
}

/** A join signal as the relay would hand it to the root. */
export function joinSignal(origin: string, seq = 0, weight = 1): JoinSignalMessage {
  return { type: 'join-signal', origin, seq, weight, signal: { origin, seq } }
}

/** One join attempt opened on a {@link StubSignaling}. */
export interface StubAttempt {
  readonly sent: JoinRequest[]
  readonly handlers: AttemptHandlers
  closed: boolean
}

/** A signaling client that records attempts and what was sent on them. */
export class StubSignaling implements SignalingClient {
  readonly attempts: StubAttempt[] = []

  open(handlers: AttemptHandlers): SignalingAttempt {
    const attempt: StubAttempt = { sent: [], handlers, closed: false }
    this.attempts.push(attempt)
    return {
      send: (request) => {
        if (!attempt.closed) attempt.sent.push(request)
      },
      close: () => {
        attempt.closed = true
      },
    }
  }
}

/** Bootstrap timeout of the nodes the helpers below make, in virtual ms. */
export const TIMEOUT = 5_000

/** A root on stubs: degree 2, no heartbeat. */
export function rootNode(options: TreeNodeOptions = {}) {
  const connector = new StubConnector()
  const clock = createVirtualClock()
  const root = createTreeNode(
    { id: 'root', root: true, degree: 2, heartbeatMs: 0, bootstrapTimeoutMs: TIMEOUT, ...options },
    { connector, clock },
  )
  return { root, connector, clock }
}

/** A non-root node whose parent channel is open (a stub the test drives). */
export function joinedNode(options: TreeNodeOptions = {}) {
  const connector = new StubConnector()
  const signaling = new StubSignaling()
  const clock = createVirtualClock()
  const node = createTreeNode(
    { id: 'n', degree: 2, heartbeatMs: 0, bootstrapTimeoutMs: TIMEOUT, reportIntervalMs: 100, ...options },
    { connector, signaling, clock },
  )
  node.join()
  clock.run({ forMs: 0 })
  const parent = connector.at(0)
  parent.open()
  clock.run({ forMs: 0 })
  return { node, connector, signaling, clock, parent }
}

/** The join signals sent on a stub channel. */
export const joinSignalsOf = (channel: StubChannel): JoinSignalMessage[] =>
  channel.sentOf<JoinSignalMessage>('join-signal')

/** Fills both slots of a degree-2 root with open children. */
export function withTwoChildren(options: TreeNodeOptions = {}) {
  const world = rootNode(options)
  world.root.handleJoinSignal(joinSignal('a'))
  world.root.handleJoinSignal(joinSignal('b'))
  world.connector.at(0).open()
  world.connector.at(1).open()
  return world
}

/** A node whose first join attempt is under way (its channel is connector.at(0)). */
export function joinedNodeBeforeOpen() {
  const connector = new StubConnector()
  const signaling = new StubSignaling()
  const clock = createVirtualClock()
  const node: TreeNode = createTreeNode(
    { id: 'n', heartbeatMs: 0, bootstrapTimeoutMs: TIMEOUT },
    { connector, signaling, clock, random: () => 0 },
  )
  node.join()
  clock.run({ forMs: 0 })
  return { node, signaling, connector, clock }
}

/** Opens or closes a stub channel, if it is still in a state where that means something. */
export function applyToChannel(channel: StubChannel | undefined, kind: 'open' | 'close'): void {
  if (channel === undefined || channel.state === 'closed') return
  if (kind === 'close') channel.close()
  else if (channel.state === 'connecting') channel.open()
}
