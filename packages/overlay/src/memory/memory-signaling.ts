import type { AnswerSignalMessage, JoinRejectedMessage, ToJoinerMessage } from '../messages.ts'
import { randomId } from '../random.ts'
import type {
  JoinRequest,
  AttemptHandlers,
  SignalingClient,
  SignalingEntry,
  SignalingAttempt,
} from '../signaling.ts'
import type { MemoryNetwork, Pipe } from './memory-network.ts'

interface OpenAttempt {
  readonly handlers: AttemptHandlers
  readonly down: Pipe
}

/** Counters of a {@link MemorySignaling} relay. */
export interface MemorySignalingStats {
  /** Join attempts opened. */
  attempts: number
  /** Join signals relayed to the root. */
  joinSignals: number
  /** Answer signals relayed to joiners. */
  answerSignals: number
  /** Rejections relayed to joiners. */
  rejections: number
}

/**
 * The signaling server in miniature, on a {@link MemoryNetwork}: each join attempt gets an origin, its signals
 * reach the root tagged with it, and the root's answers for that origin come back to it alone. Signals
 * sent while no root is served are dropped, as the original server did.
 */
export class MemorySignaling implements SignalingClient {
  readonly stats: MemorySignalingStats = { attempts: 0, joinSignals: 0, answerSignals: 0, rejections: 0 }
  private entry: SignalingEntry | undefined
  private readonly attempts = new Map<string, OpenAttempt>()
  private readonly onAnswer = (message: AnswerSignalMessage): void => this.toJoiner(message)
  private readonly onRejected = (message: JoinRejectedMessage): void => this.toJoiner(message)

  constructor(private readonly network: MemoryNetwork) {}

  open(handlers: AttemptHandlers): SignalingAttempt {
    const origin = randomId(this.network.random)
    const up = this.network.createPipe()
    this.attempts.set(origin, { handlers, down: this.network.createPipe() })
    this.stats.attempts++
    return {
      send: (request: JoinRequest) => {
        if (!this.attempts.has(origin)) return
        this.stats.joinSignals++
        up.push(() => this.entry?.handleJoinSignal({ type: 'join-signal', origin, ...request }))
      },
      close: () => {
        this.attempts.delete(origin)
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
    const attempt = this.attempts.get(message.origin)
    if (attempt === undefined) return
    if (message.type === 'answer-signal') this.stats.answerSignals++
    else this.stats.rejections++
    attempt.down.push(() => {
      if (this.attempts.get(message.origin) !== attempt) return
      if (message.type === 'answer-signal') attempt.handlers.signal(message.signal)
      else attempt.handlers.rejected(message.reason)
    })
  }
}

/** Creates a signaling relay on `network`. */
export function createMemorySignaling(network: MemoryNetwork): MemorySignaling {
  return new MemorySignaling(network)
}
