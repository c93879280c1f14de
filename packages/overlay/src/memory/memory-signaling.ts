import type { AnswerSignalMessage, JoinRejectedMessage, ToJoinerMessage } from '../messages.ts'
import { randomId } from '../random.ts'
import type {
  JoinRequest,
  SessionHandlers,
  SignalingClient,
  SignalingEntry,
  SignalingSession,
} from '../signaling.ts'
import type { MemoryNetwork, Pipe } from './memory-network.ts'

interface Session {
  readonly handlers: SessionHandlers
  readonly down: Pipe
}

/** Counters of a {@link MemorySignaling} relay. */
export interface MemorySignalingStats {
  sessions: number
  /** Join signals relayed to the root. */
  joinSignals: number
  /** Answer signals relayed to joiners. */
  answerSignals: number
  /** Rejections relayed to joiners. */
  rejections: number
}

/**
 * The signaling server in miniature, on a {@link MemoryNetwork}: each session gets an origin, its signals
 * reach the root tagged with it, and the root's answers for that origin come back to it alone. Signals
 * sent while no root is served are dropped, as the original server did.
 */
export class MemorySignaling implements SignalingClient {
  readonly stats: MemorySignalingStats = { sessions: 0, joinSignals: 0, answerSignals: 0, rejections: 0 }
  private entry: SignalingEntry | undefined
  private readonly sessions = new Map<string, Session>()
  private readonly onAnswer = (message: AnswerSignalMessage): void => this.toJoiner(message)
  private readonly onRejected = (message: JoinRejectedMessage): void => this.toJoiner(message)

  constructor(private readonly network: MemoryNetwork) {}

  open(handlers: SessionHandlers): SignalingSession {
    const origin = randomId(this.network.random)
    const up = this.network.createPipe()
    this.sessions.set(origin, { handlers, down: this.network.createPipe() })
    this.stats.sessions++
    return {
      send: (request: JoinRequest) => {
        if (!this.sessions.has(origin)) return
        this.stats.joinSignals++
        up.push(() => this.entry?.handleJoinSignal({ type: 'join-signal', origin, ...request }))
      },
      close: () => {
        this.sessions.delete(origin)
      },
    }
  }

  /** Makes `entry` (the root) the receiver of join signals; returns a function that undoes it. */
  serve(entry: SignalingEntry): () => void {
    if (this.entry !== undefined) this.detach(this.entry)
    this.entry = entry
    entry.on('answer-signal', this.onAnswer)
    entry.on('join-rejected', this.onRejected)
    return () => {
      if (this.entry === entry) this.detach(entry)
    }
  }

  private detach(entry: SignalingEntry): void {
    entry.off('answer-signal', this.onAnswer)
    entry.off('join-rejected', this.onRejected)
    this.entry = undefined
  }

  private toJoiner(message: ToJoinerMessage): void {
    const session = this.sessions.get(message.origin)
    if (session === undefined) return
    if (message.type === 'answer-signal') this.stats.answerSignals++
    else this.stats.rejections++
    session.down.push(() => {
      if (this.sessions.get(message.origin) !== session) return
      if (message.type === 'answer-signal') session.handlers.signal(message.signal)
      else session.handlers.rejected(message.reason)
    })
  }
}

/** Creates a signaling relay on `network`. */
export function createMemorySignaling(network: MemoryNetwork): MemorySignaling {
  return new MemorySignaling(network)
}
