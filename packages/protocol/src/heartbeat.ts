import type { Clock, TimerHandle } from './clock.ts'
import { HEARTBEAT_TICKS_PER_TIMEOUT } from './constants.ts'

/** Options of a {@link Heartbeat}. */
export interface HeartbeatOptions {
  /** A peer silent for longer than this is given up, in ms; it is detected within this time. */
  readonly timeoutMs: number
  /** Ticks per `timeoutMs`. @default HEARTBEAT_TICKS_PER_TIMEOUT (4) */
  readonly ticks?: number
}

/** What a {@link Heartbeat} acts through. */
export interface HeartbeatComponents {
  readonly clock: Clock
  /** Sends a sign of life to the peer. */
  send(): void
  /**
   * The peer has been silent too long (`silentMs`, since its last sign of life or the stall that excused it);
   * called once, after which the heartbeat is stopped.
   */
  onTimeout(silentMs: number): void
}

/**
 * Watches one peer, driven by timers only: every `timeoutMs / ticks` it sends a sign of life, and gives the
 * peer up when nothing was {@link Heartbeat.received} for more than `timeoutMs − tick`. A peer silent
 * since time t is therefore given up by t + `timeoutMs` at the latest, and a live peer whose heartbeats
 * arrive late by up to `timeoutMs − 2 × tick` is not. A tick that comes a whole tick late or more means
 * this process stalled (a long synchronous task): the peer is then not judged on that silence, and is given
 * a fresh `timeoutMs` from that tick.
 */
export class Heartbeat {
  private readonly tickMs: number
  private lastReceived = 0
  /** When the pending tick is due (clock time). */
  private scheduledFor = 0
  private timer: TimerHandle | undefined
  private running = false

  constructor(
    private readonly options: HeartbeatOptions,
    private readonly components: HeartbeatComponents,
  ) {
    if (!(options.timeoutMs > 0)) throw new RangeError('heartbeat timeoutMs must be positive')
    const ticks = options.ticks ?? HEARTBEAT_TICKS_PER_TIMEOUT
    if (!Number.isInteger(ticks) || ticks < 2) throw new RangeError('heartbeat ticks must be an integer ≥ 2')
    this.tickMs = options.timeoutMs / ticks
  }

  /** Starts watching, counting from now as the last sign of life. Does nothing if running. */
  start(): void {
    if (this.running) return
    this.running = true
    this.lastReceived = this.components.clock.now()
    this.schedule()
  }

  /** Records a sign of life from the peer (any message). */
  received(): void {
    this.lastReceived = this.components.clock.now()
  }

  /** Stops watching and sending. Idempotent. */
  stop(): void {
    this.running = false
    if (this.timer !== undefined) this.components.clock.clearTimeout(this.timer)
    this.timer = undefined
  }

  private schedule(): void {
    this.scheduledFor = this.components.clock.now() + this.tickMs
    this.timer = this.components.clock.setTimeout(() => this.tick(), this.tickMs)
  }

  private tick(): void {
    this.timer = undefined
    if (!this.running) return
    const now = this.components.clock.now()
    // Late by a whole tick or more: this process stalled (its timers run before the messages that waited
    // in the link's buffers are read), so the silence measured across the stall is not the peer's. It
    // gets a fresh interval.
    if (now - this.scheduledFor > this.tickMs) this.lastReceived = now
    const silence = now - this.lastReceived
    if (silence > this.options.timeoutMs - this.tickMs) {
      this.stop()
      this.components.onTimeout(silence)
      return
    }
    this.components.send()
    if (this.running) this.schedule()
  }
}
