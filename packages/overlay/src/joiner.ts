import type { Connector, PeerChannel } from './channel.ts'
import type { Clock, TimerHandle } from './clock.ts'
import { JOIN_RETRY_MAX_MS, JOIN_RETRY_MIN_MS } from './constants.ts'
import { JoinAbortedError, JoinRejectedError, JoinTimeoutError } from './errors.ts'
import type { Random } from './random.ts'
import type { SignalingClient, SignalingAttempt } from './signaling.ts'

/** What a {@link Joiner} needs from its node. */
export interface JoinerHost {
  readonly clock: Clock
  readonly random: Random
  readonly connector: Connector
  readonly signaling: SignalingClient
  /** Nodes joining with this node (itself and its subtree). */
  weight(): number
  /** A parent channel opened: the join succeeded. */
  connected(channel: PeerChannel): void
  /** An attempt failed; another follows after a back-off. */
  failed(error: Error): void
}

interface Attempt {
  readonly channel: PeerChannel
  signaling: SignalingAttempt | undefined
  timer: TimerHandle | undefined
  error: Error | undefined
}

/**
 * The joiner's side of the join protocol: it opens an initiating channel, sends its signals through the
 * relay (which tags them with the attempt's origin) and feeds the accepting node's answers back, until the
 * channel opens or `bootstrapTimeoutMs` passes; then it retries after a growing, jittered back-off.
 */
export class Joiner {
  private current: Attempt | undefined
  private retryTimer: TimerHandle | undefined
  private failures = 0
  private active = false

  constructor(
    private readonly host: JoinerHost,
    private readonly bootstrapTimeoutMs: number,
  ) {}

  /** Whether an attempt is running or scheduled. */
  get joining(): boolean {
    return this.current !== undefined || this.retryTimer !== undefined
  }

  /** Starts joining after `delayMs`. Does nothing if already joining. */
  start(delayMs = 0): void {
    if (this.joining) return
    this.active = true
    this.failures = 0
    this.schedule(delayMs)
  }

  /** Abandons the attempt in progress and any retry. */
  stop(): void {
    this.active = false
    if (this.retryTimer !== undefined) this.host.clock.clearTimeout(this.retryTimer)
    this.retryTimer = undefined
    const attempt = this.current
    this.current = undefined
    if (attempt !== undefined) this.end(attempt, true)
  }

  private schedule(delayMs: number): void {
    this.retryTimer = this.host.clock.setTimeout(() => {
      this.retryTimer = undefined
      this.attempt()
    }, delayMs)
  }

  private attempt(): void {
    const channel = this.host.connector.create({ initiator: true })
    const attempt: Attempt = { channel, signaling: undefined, timer: undefined, error: undefined }
    const signaling = this.host.signaling.open({
      signal: (signal) => {
        if (this.current === attempt && channel.state !== 'closed') channel.signal(signal)
      },
      rejected: (reason) => this.fail(attempt, new JoinRejectedError(reason)),
    })
    attempt.signaling = signaling
    this.current = attempt
    let seq = 0
    channel.on('signal', (signal) => {
      if (this.current === attempt) signaling.send({ seq: seq++, weight: this.host.weight(), signal })
    })
    channel.on('open', () => this.succeed(attempt))
    channel.on('error', (error) => (attempt.error = error))
    channel.on('close', () => this.fail(attempt, attempt.error ?? new JoinAbortedError()))
    const timeout = this.bootstrapTimeoutMs
    attempt.timer = this.host.clock.setTimeout(
      () => this.fail(attempt, new JoinTimeoutError(timeout)),
      timeout,
    )
  }

  private succeed(attempt: Attempt): void {
    if (this.current !== attempt) return
    this.current = undefined
    this.active = false
    this.failures = 0
    this.end(attempt, false)
    this.host.connected(attempt.channel)
  }

  private fail(attempt: Attempt, error: Error): void {
    if (this.current !== attempt) return
    this.current = undefined
    this.end(attempt, true)
    this.failures++
    this.host.failed(error)
    if (this.active && !this.joining) this.schedule(this.backoff())
  }

  private end(attempt: Attempt, closeChannel: boolean): void {
    this.host.clock.clearTimeout(attempt.timer)
    attempt.signaling?.close()
    if (closeChannel) attempt.channel.close()
  }

  /** Doubles from JOIN_RETRY_MIN_MS up to JOIN_RETRY_MAX_MS, each delay drawn from its upper half. */
  private backoff(): number {
    const ceiling = Math.min(JOIN_RETRY_MAX_MS, JOIN_RETRY_MIN_MS * 2 ** (this.failures - 1))
    return ceiling * (0.5 + this.host.random() / 2)
  }
}
