import type { Clock } from './clock.ts'
import type { HeartbeatMessage } from './heartbeat-message.ts'
import { ROUND_TRIP_SMOOTHING, MAX_UNECHOED_HEARTBEATS } from './constants.ts'

/** A smoothed round trip with a new sample in: the first sample as it is, then 1/8 of each new one. */
export function smoothRoundTrip(previous: number | undefined, sample: number): number {
  return previous === undefined ? sample : previous + ROUND_TRIP_SMOOTHING * (sample - previous)
}

/** A time or duration a peer sent, if it is one: a finite number, not negative. */
const time = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined

/**
 * The round trip over one link, measured by its heartbeats: each carries the time it was sent, and the
 * next one back echoes the last such time heard with how long it was kept (see {@link HeartbeatMessage}).
 * It hears every message before the parser does, so it takes only fields that are times (a field of any
 * other kind is ignored here, and the parser closes the link); a sample that comes out negative (a peer that
 * lies about `heldMs`) is ignored, and so is an echo of a time this side never sent, or sent and already
 * heard echoed (unsolicited echoes measure nothing).
 */
export class RoundTrip {
  readonly #clock: Clock
  /** The peer's last `sentAt`, and when it came. */
  #heard: { readonly sentAt: number; readonly at: number } | undefined
  #ms: number | undefined
  /** The `sentAt` of heartbeats sent and not echoed yet, oldest first. */
  readonly #unechoed: number[] = []

  constructor(clock: Clock) {
    this.#clock = clock
  }

  /** The smoothed round trip in ms; 0 until measured. */
  get ms(): number {
    return this.#ms ?? 0
  }

  /** The next heartbeat to send: the time now, and the echo of the peer's last one, once. */
  heartbeat(): HeartbeatMessage {
    const now = this.#clock.now()
    const heard = this.#heard
    this.#heard = undefined
    this.#unechoed.push(now)
    if (this.#unechoed.length > MAX_UNECHOED_HEARTBEATS) this.#unechoed.shift()
    return heard === undefined
      ? { type: 'heartbeat', sentAt: now }
      : { type: 'heartbeat', sentAt: now, echo: heard.sentAt, heldMs: now - heard.at }
  }

  /** Hears a message from the peer; returns the new smoothed round trip if it was a measuring heartbeat. */
  received(message: unknown): number | undefined {
    if (typeof message !== 'object' || message === null) return undefined
    const fields = message as Record<string, unknown>
    if (fields['type'] !== 'heartbeat') return undefined
    const [sentAt, echo, heldMs] = [time(fields['sentAt']), time(fields['echo']), time(fields['heldMs'])]
    const now = this.#clock.now()
    if (sentAt !== undefined) this.#heard = { sentAt, at: now }
    if (echo === undefined || heldMs === undefined) return undefined
    // Only the echo of a heartbeat sent and not echoed yet; it and any older one are then answered.
    const echoed = this.#unechoed.indexOf(echo)
    if (echoed < 0) return undefined
    this.#unechoed.splice(0, echoed + 1)
    const sample = now - echo - heldMs
    if (!(sample >= 0) || echo > now) return undefined
    this.#ms = smoothRoundTrip(this.#ms, sample)
    return this.#ms
  }
}
