import { randomUUID } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import { isIPv6 } from 'node:net'
import {
  CLOSE_INTERNAL_ERROR,
  CLOSE_NORMAL,
  CLOSE_PROTOCOL_ERROR,
  CLOSE_TRY_AGAIN_LATER,
  MAX_JOIN_MESSAGE_BYTES,
  MAX_JOIN_SIGNALS,
  parseJoinerSignal,
  type RelayToJoiner,
  isProtocolError,
  ProtocolError,
} from '@pando/protocol'
import type { RawData, WebSocket, WebSocketServer } from 'ws'
import { filterSignal, type AddressRange } from './address-ranges.ts'
import {
  JOIN_ATTEMPT_BURST,
  JOIN_ATTEMPT_TIMEOUT_MS,
  JOIN_ATTEMPTS_PER_MINUTE,
  JOIN_LIMITS_SWEEP_MS,
  MAX_OPEN_JOINS_PER_ADDRESS,
} from './constants.ts'
import { closeWithReason, createEndpoint } from './websocket-endpoint.ts'

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
  /** A join attempt's WebSocket is closed after this long. @default JOIN_ATTEMPT_TIMEOUT_MS (60_000 ms) */
  readonly attemptTimeoutMs?: number
  /** Makes each attempt's origin (e.g. from a seeded generator, for `--seed`). @default crypto.randomUUID */
  readonly newOrigin?: () => string
  /**
   * Hears a bug on this side while relaying a joiner's signal (`onJoinSignal` threw something other than a
   * protocol error): the joiner is not to blame, and its attempt is closed with 1011 and {@link
   * RELAY_FAILED_REASON}. @default none (only the close says it)
   */
  readonly onInternalError?: (error: unknown) => void
  /**
   * Join attempts one remote address (an IPv6 one by its /64) may open in a burst; it earns them back at
   * `attemptsPerMinute`. Over it, an attempt is rejected at once.
   * @default JOIN_ATTEMPT_BURST (300 attempts)
   */
  readonly attemptBurst?: number
  /** The rate at which an address earns join attempts back. @default JOIN_ATTEMPTS_PER_MINUTE (600 a minute) */
  readonly attemptsPerMinute?: number
  /**
   * Join attempts one remote address may hold open at once; more are rejected at once.
   * @default MAX_OPEN_JOINS_PER_ADDRESS (200 attempts)
   */
  readonly maxOpenAttempts?: number
}

/** The reason a join attempt is closed with when the relay failed on its signal: not the joiner's doing. */
export const RELAY_FAILED_REASON = 'the relay failed on this signal (an internal error): try again'

/**
 * The signaling relay of the WebRTC tree: one WebSocket per join attempt. Each attempt gets an origin of
 * the relay's own making, so a joiner cannot pose as another; what the root answers for an origin goes to
 * that attempt's socket and nowhere else. Attempts are limited per remote address, in rate and in number
 * open at once (see {@link JOIN_ATTEMPT_BURST}); one over a limit gets `{type: 'rejected', reason}` and is
 * closed with 1013 ("try again later"), and the page retries after its back-off.
 */
export class JoinRelay {
  readonly #options: JoinRelayOptions
  readonly #attempts = new Map<string, WebSocket>()
  readonly #limits: JoinLimits
  readonly wss: WebSocketServer = createEndpoint(MAX_JOIN_MESSAGE_BYTES)

  /** @throws {RangeError} when a limit is not a positive number */
  constructor(options: JoinRelayOptions) {
    this.#options = options
    this.#limits = new JoinLimits(
      options.attemptBurst ?? JOIN_ATTEMPT_BURST,
      options.attemptsPerMinute ?? JOIN_ATTEMPTS_PER_MINUTE,
      options.maxOpenAttempts ?? MAX_OPEN_JOINS_PER_ADDRESS,
    )
    this.wss.on('connection', (socket, request?: IncomingMessage) => {
      const address = limitKey(request?.socket.remoteAddress)
      const refused = this.#limits.admit(address)
      if (refused !== undefined) {
        closeWithReason(socket, CLOSE_TRY_AGAIN_LATER, refused, {
          type: 'rejected',
          reason: refused,
        } satisfies RelayToJoiner)
        return
      }
      socket.on('close', () => this.#limits.release(address))
      this.#accept(socket)
    })
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
    socket.close(CLOSE_NORMAL, 'join rejected')
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
      () => socket.close(CLOSE_NORMAL, 'join attempt timed out'),
      this.#options.attemptTimeoutMs ?? JOIN_ATTEMPT_TIMEOUT_MS,
    )
    socket.on('close', () => {
      clearTimeout(timer)
      this.#attempts.delete(origin)
    })
    socket.on('message', (data: RawData, isBinary: boolean) => {
      try {
        if (isBinary) throw new ProtocolError('binary messages are not part of the protocol')
        if (++signals > MAX_JOIN_SIGNALS)
          throw new ProtocolError(`more than ${MAX_JOIN_SIGNALS} signals in one attempt`)
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
        // Only what the joiner sent is blamed on the joiner; anything else is a bug here, reported as such.
        const peerFault = isProtocolError(error)
        if (!peerFault) this.#options.onInternalError?.(error)
        const reason = peerFault ? error.message : RELAY_FAILED_REASON
        closeWithReason(socket, peerFault ? CLOSE_PROTOCOL_ERROR : CLOSE_INTERNAL_ERROR, reason, {
          type: 'rejected',
          reason,
        } satisfies RelayToJoiner)
      }
    })
  }
}

/**
 * What the join limits count by: an IPv4 address itself (IPv4-mapped IPv6 as IPv4), an IPv6 address by its
 * first 64 bits, since one subscriber usually holds a whole /64 and could otherwise take as many as it likes.
 */
export function limitKey(address: string | undefined): string {
  if (address === undefined) return 'unknown'
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)
  if (mapped !== null) return mapped[1] ?? address
  if (!isIPv6(address)) return address
  const [head = '', tail] = address.split('%')[0]?.split('::') ?? []
  const left = head === '' ? [] : head.split(':')
  // A trailing dotted IPv4 part (`64:ff9b::1.2.3.4`) stands for two groups.
  const right = (tail === undefined || tail === '' ? [] : tail.split(':')).flatMap((group) =>
    group.includes('.') ? ['0', '0'] : [group],
  )
  const groups = [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right]
  return `${groups
    .slice(0, 4)
    .map((group) => Number.parseInt(group, 16).toString(16))
    .join(':')}::/64`
}

/** One address's join budget: a token bucket for the rate, and its attempts open now. */
interface Budget {
  tokens: number
  /** When `tokens` was last brought up to date, in ms (performance.now). */
  at: number
  open: number
}

/**
 * The relay's limits per address: a token bucket (`burst` attempts, earned back at `perMinute`) and a cap on
 * the attempts open at once. Only admitted attempts spend a token: a refusal costs the relay next to nothing.
 */
class JoinLimits {
  readonly #budgets = new Map<string, Budget>()
  readonly #perMs: number
  #sweptAt = performance.now()

  constructor(
    readonly burst: number,
    readonly perMinute: number,
    readonly maxOpen: number,
  ) {
    for (const [name, value] of [
      ['attemptBurst', burst],
      ['attemptsPerMinute', perMinute],
      ['maxOpenAttempts', maxOpen],
    ] as const) {
      if (!(value > 0)) throw new RangeError(`${name} must be a positive number, not ${String(value)}`)
    }
    this.#perMs = perMinute / 60_000
  }

  /** Takes one attempt for `address`; or says why not, for the joiner. */
  admit(address: string): string | undefined {
    const now = performance.now()
    this.#sweep(now)
    const budget = this.#budgets.get(address) ?? { tokens: this.burst, at: now, open: 0 }
    this.#refill(budget, now)
    this.#budgets.set(address, budget)
    if (budget.open >= this.maxOpen) {
      return `too many join attempts open from this address (${this.maxOpen}): try again later`
    }
    if (budget.tokens < 1) {
      const waitS = Math.ceil((1 - budget.tokens) / this.#perMs / 1000)
      return `too many join attempts from this address (${this.burst} at once, ${this.perMinute} a minute): try again in ${waitS} s`
    }
    budget.tokens -= 1
    budget.open++
    return undefined
  }

  /** An admitted attempt of `address` has closed. */
  release(address: string): void {
    const budget = this.#budgets.get(address)
    if (budget !== undefined) budget.open--
  }

  #refill(budget: Budget, now: number): void {
    budget.tokens = Math.min(this.burst, budget.tokens + (now - budget.at) * this.#perMs)
    budget.at = now
  }

  /** Forgets, every JOIN_LIMITS_SWEEP_MS, the addresses with nothing open and a full bucket: as if never seen. */
  #sweep(now: number): void {
    if (now - this.#sweptAt < JOIN_LIMITS_SWEEP_MS) return
    this.#sweptAt = now
    for (const [address, budget] of this.#budgets) {
      this.#refill(budget, now)
      if (budget.open === 0 && budget.tokens >= this.burst) this.#budgets.delete(address)
    }
  }
}
