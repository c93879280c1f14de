import { Emitter } from '@pando/protocol'
import type { ChannelState, PeerChannel, PeerChannelEvents, Signal } from '../channel.ts'
import { ClosedError, NotOpenError, SignalError } from '../errors.ts'
import type { MemoryNetwork, Pipe } from './memory-network.ts'

/** The signals memory channels exchange (opaque to the overlay, like SDP). */
export type MemorySignal =
  | { readonly kind: 'offer'; readonly from: string; readonly trickle: number }
  | { readonly kind: 'candidate'; readonly from: string; readonly index: number }
  | { readonly kind: 'answer'; readonly from: string }

/**
 * One end of an in-memory channel (see {@link MemoryNetwork}). The accepting end answers only once it has
 * the offer and every candidate, in order and from the same initiator, so a signal that strays from its
 * path keeps the channel from opening, as it would with WebRTC.
 */
export class MemoryChannel extends Emitter<PeerChannelEvents> implements PeerChannel {
  /** @internal the other end, once linked */
  remote: MemoryChannel | undefined
  /** @internal delivery line towards the other end */
  readonly out: Pipe
  private current: ChannelState = 'connecting'
  private frozen = false
  private offerFrom: string | undefined
  private expected = 0
  private received = 0

  constructor(
    private readonly network: MemoryNetwork,
    readonly id: string,
    readonly initiator: boolean,
    signals: boolean,
  ) {
    super()
    this.out = network.createPipe()
    if (signals) network.soon(() => this.emitOffer())
  }

  get state(): ChannelState {
    return this.current
  }

  send(message: unknown): void {
    if (this.current === 'connecting') throw new NotOpenError()
    if (this.current === 'closed') throw new ClosedError('send() on a closed channel')
    const remote = this.remote
    if (this.frozen || remote === undefined) return
    const payload: unknown = this.network.json ? JSON.parse(JSON.stringify(message)) : message
    this.network.stats.messages++
    this.out.push(() => remote.receive(payload))
  }

  signal(signal: Signal): void {
    if (this.current === 'closed') throw new ClosedError('signal() on a closed channel')
    if (this.frozen) return
    const problem = this.initiator ? this.takeAnswer(signal) : this.takeOffer(signal)
    if (problem !== undefined) this.fail(new SignalError(problem))
  }

  close(): void {
    if (this.current === 'closed') return
    this.current = 'closed'
    this.network.unregister(this)
    const remote = this.remote
    if (remote !== undefined && !this.frozen) this.out.push(() => remote.remoteClosed())
    this.emit('close')
  }

  /** Goes silent, as a frozen tab or a cut cable: nothing is sent or delivered any more, not even a close. */
  freeze(): void {
    this.frozen = true
  }

  /** @internal */
  opened(): void {
    if (this.current !== 'connecting' || this.frozen) return
    this.current = 'open'
    this.emit('open')
  }

  private receive(message: unknown): void {
    if (this.current === 'open' && !this.frozen) this.emit('message', message)
  }

  private remoteClosed(): void {
    if (this.current === 'closed' || this.frozen) return
    this.current = 'closed'
    this.network.unregister(this)
    this.emit('close')
  }

  private fail(error: Error): void {
    if (this.current === 'closed') return
    this.emit('error', error)
    this.close()
  }

  private emitOffer(): void {
    if (this.current !== 'connecting') return
    const trickle = this.network.trickle
    this.emit('signal', { kind: 'offer', from: this.id, trickle })
    for (let index = 0; index < trickle && this.current === 'connecting'; index++) {
      this.emit('signal', { kind: 'candidate', from: this.id, index })
    }
  }

  /** The accepting end takes the offer and candidates; returns what is wrong, if anything. */
  private takeOffer(signal: Signal): string | undefined {
    const s = signal as Partial<Record<string, unknown>> | null
    if (s?.['kind'] === 'offer' && typeof s['from'] === 'string' && typeof s['trickle'] === 'number') {
      if (this.offerFrom !== undefined) return 'a second offer'
      this.offerFrom = s['from']
      this.expected = s['trickle']
    } else if (s?.['kind'] === 'candidate') {
      if (this.offerFrom === undefined || s['from'] !== this.offerFrom) return 'a candidate without its offer'
      if (s['index'] !== this.received) return `candidate ${String(s['index'])} out of order`
      this.received++
    } else {
      return 'not an offer or a candidate'
    }
    if (this.received === this.expected) this.network.soon(() => this.emitAnswer())
    return undefined
  }

  private emitAnswer(): void {
    if (this.current === 'connecting') this.emit('signal', { kind: 'answer', from: this.id })
  }

  /** The initiating end takes the answer and connects; returns what is wrong, if anything. */
  private takeAnswer(signal: Signal): string | undefined {
    const s = signal as Partial<Record<string, unknown>> | null
    if (s?.['kind'] !== 'answer' || typeof s['from'] !== 'string') return 'not an answer'
    if (this.remote !== undefined) return 'a second answer'
    const other = this.network.lookup(s['from'])
    // As ICE fails when the other side is gone: this end fails instead of waiting for a timeout.
    if (other === undefined || other.state !== 'connecting') return 'the other end is gone'
    if (other.offerFrom !== this.id) return 'an answer to another offer'
    this.network.link(this, other)
    return undefined
  }
}
