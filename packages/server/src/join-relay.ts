import { randomUUID } from 'node:crypto'
import {
  MAX_JOIN_MESSAGE_BYTES,
  MAX_JOIN_SIGNALS,
  parseJoinerSignal,
  type RelayToJoiner,
} from '@pando/protocol'
import { WebSocketServer, type RawData, type WebSocket } from 'ws'
import { filterSignal, type AddressRange } from './address-ranges.ts'

/** A joiner's signal as the root's tree node takes it (the overlay's `join-signal` message). */
export interface JoinSignalForRoot {
  readonly type: 'join-signal'
  readonly origin: string
  readonly seq: number
  readonly weight: number
  readonly signal: unknown
}

export interface JoinRelayOptions {
  /** Hands a joiner's signal, tagged with its attempt's origin, to the root. */
  readonly onJoinSignal: (message: JoinSignalForRoot) => void
  /** ICE candidates outside this range are dropped, both ways. @default 'any' */
  readonly addresses?: AddressRange
  /** A join attempt's WebSocket is closed after this long. @default 60_000 ms */
  readonly attemptTimeoutMs?: number
  /** Makes each attempt's origin (e.g. from a seeded generator, for `--seed`). @default crypto.randomUUID */
  readonly newOrigin?: () => string
}

/** WebSocket close code for a protocol violation (RFC 6455 "policy violation"). */
const CLOSE_PROTOCOL_ERROR = 1008

/**
 * The signaling relay of the WebRTC tree: one WebSocket per join attempt. Each attempt gets an origin of
 * the relay's own making, so a joiner cannot pose as another; what the root answers for an origin goes to
 * that attempt's socket and nowhere else.
 */
export class JoinRelay {
  readonly #options: JoinRelayOptions
  readonly #attempts = new Map<string, WebSocket>()
  readonly wss = new WebSocketServer({ noServer: true, maxPayload: MAX_JOIN_MESSAGE_BYTES })

  constructor(options: JoinRelayOptions) {
    this.#options = options
    this.wss.on('connection', (socket) => this.#accept(socket))
  }

  /** Joiners' attempts now open. */
  get attempts(): number {
    return this.#attempts.size
  }

  /** Passes what the tree answered to the attempt `origin`; dropped if that attempt is gone. */
  sendToJoiner(origin: string, message: RelayToJoiner): void {
    const socket = this.#attempts.get(origin)
    if (socket === undefined) return
    if (message.type === 'answer') {
      const signal = filterSignal(message.signal, this.#options.addresses ?? 'any')
      if (signal !== undefined) socket.send(JSON.stringify({ type: 'answer', signal }))
      return
    }
    socket.send(JSON.stringify(message))
    socket.close(1000, 'join rejected')
  }

  /** Closes every attempt. */
  close(): void {
    for (const socket of this.#attempts.values()) socket.terminate()
    this.wss.close()
  }

  #accept(socket: WebSocket): void {
    const origin = (this.#options.newOrigin ?? randomUUID)()
    this.#attempts.set(origin, socket)
    let signals = 0
    const timer = setTimeout(
      () => socket.close(1000, 'join attempt timed out'),
      this.#options.attemptTimeoutMs ?? 60_000,
    )
    socket.on('close', () => {
      clearTimeout(timer)
      this.#attempts.delete(origin)
    })
    socket.on('message', (data: RawData, isBinary: boolean) => {
      try {
        if (isBinary) throw new Error('binary messages are not part of the protocol')
        if (++signals > MAX_JOIN_SIGNALS)
          throw new Error(`more than ${MAX_JOIN_SIGNALS} signals in one attempt`)
        const message = parseJoinerSignal(String(data))
        const signal = filterSignal(message.signal, this.#options.addresses ?? 'any')
        if (signal === undefined) return
        this.#options.onJoinSignal({
          type: 'join-signal',
          origin,
          seq: message.seq,
          weight: message.weight,
          signal,
        })
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error)
        socket.send(JSON.stringify({ type: 'rejected', reason } satisfies RelayToJoiner))
        socket.close(CLOSE_PROTOCOL_ERROR, reason.slice(0, 120))
      }
    })
  }
}
