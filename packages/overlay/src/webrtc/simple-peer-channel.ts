import {
  Emitter,
  MAX_TREE_CHUNKED_MESSAGE_CHARS,
  MAX_TREE_LINK_MESSAGE_CHARS,
  MessageTooLargeError,
  TreeFrameAssembler,
  parseJsonText,
  toTreeFrames,
} from '@pando/protocol'
import SimplePeer from 'simple-peer'
import type { ConnectOptions, Connector, PeerChannel, PeerChannelEvents, Signal } from '../channel.ts'
import { ClosedError, NotOpenError, ProtocolError, SignalError } from '../errors.ts'

/** The WebRTC implementation simple-peer uses: the browser's by default, node-datachannel's in Node. */
export type WebRtcImplementation = NonNullable<SimplePeer.Options['wrtc']>

export interface WebRtcConnectorOptions {
  /** Omit in browsers; in Node, node-datachannel's polyfill (see the CLI's `node-wrtc.ts`). */
  readonly wrtc?: WebRtcImplementation
  /** STUN/TURN servers; none are needed on a LAN or on loopback. @default [] */
  readonly iceServers?: readonly RTCIceServer[]
  /**
   * The local address to gather ICE candidates on, for node-datachannel only (browsers ignore it): set it to
   * `127.0.0.1` to stay on loopback, where node-datachannel would otherwise offer no candidate at all.
   */
  readonly bindAddress?: string
}

/**
 * A tree link over a WebRTC data channel (simple-peer): messages are JSON text, and one longer than a
 * data-channel message may carry travels in chunks (`toTreeFrames`, joined by a `TreeFrameAssembler`). The
 * joiner's end is the initiator and emits the offer; ICE candidates trickle as further signals.
 */
export class SimplePeerChannel<M = unknown> extends Emitter<PeerChannelEvents<M>> implements PeerChannel<M> {
  #state: PeerChannel['state'] = 'connecting'
  readonly #peer: SimplePeer.Instance
  /**
   * Messages that arrived before `open`: simple-peer emits `connect` only after an asynchronous getStats,
   * by which time the other side, open already, may have sent (a parent's `position`, at once).
   */
  readonly #early: M[] = []
  /** Joins the chunks of long messages from the peer, within bounds. */
  readonly #assembler = new TreeFrameAssembler()

  constructor(connect: ConnectOptions, options: WebRtcConnectorOptions = {}) {
    super()
    this.#peer = new SimplePeer({
      // Messages are text: in object mode simple-peer hands each one over as it came, a string, rather than
      // encoding it into a Buffer that `#receive` would decode again (in the page, in JavaScript: slow).
      objectMode: true,
      initiator: connect.initiator,
      trickle: true,
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- needed where DOM types are absent
      config: {
        iceServers: [...(options.iceServers ?? [])],
        ...(options.bindAddress === undefined ? {} : { bindAddress: options.bindAddress }),
      } as RTCConfiguration,
      ...(options.wrtc === undefined ? {} : { wrtc: options.wrtc }),
    })
    this.#peer.on('signal', (signal: SimplePeer.SignalData) => this.emit('signal', signal as Signal))
    this.#peer.on('connect', () => {
      if (this.#state !== 'connecting') return
      this.#state = 'open'
      this.emit('open')
      for (const message of this.#early.splice(0)) {
        if (this.#state === 'open') this.emit('message', message)
      }
    })
    this.#peer.on('data', (data: unknown) => this.#receive(data))
    this.#peer.on('error', (error: Error) => this.#fail(error))
    this.#peer.on('close', () => this.#end())
  }

  get state(): PeerChannel['state'] {
    return this.#state
  }

  send(message: M): void {
    if (this.#state === 'connecting') throw new NotOpenError('the data channel is not open yet')
    if (this.#state === 'closed') throw new ClosedError('the data channel is closed')
    // Over the bounds, the message is the sender's mistake: thrown, as a misuse, before anything is sent.
    // Written to simple-peer's stream, not sent on the data channel at once: the stream hands a frame to the
    // data channel only while the channel's send buffer is under 64 KiB, and queues the rest in order, so a
    // burst of long messages never overflows that buffer (Chromium closes a data channel whose buffer passes
    // 16 MiB). A failed send (node-datachannel throws "DataChannel is closed" when the channel closed under
    // simple-peer before it said so) destroys the peer, whose `error` then `close` end this channel; a
    // destroyed peer drops its queue: those messages are lost, as ones sent just before a close may be.
    for (const frame of toTreeFrames(JSON.stringify(message))) this.#peer.write(frame)
  }

  /** Bytes waiting in the data channel's own send buffer (not those queued before it); 0 when closed. */
  get bufferedAmount(): number {
    return this.#state === 'closed' ? 0 : this.#peer.bufferSize
  }

  signal(signal: Signal): void {
    if (this.#state === 'closed') throw new ClosedError('the data channel is closed')
    try {
      this.#peer.signal(signal as unknown as SimplePeer.SignalData)
    } catch (error) {
      this.#fail(new SignalError(error instanceof Error ? error.message : String(error)))
    }
  }

  close(): void {
    if (this.#state === 'closed') return
    this.#peer.destroy()
    this.#end()
  }

  #receive(data: unknown): void {
    let message: M
    try {
      // Bounded in size and nesting before it is parsed: the peer may not be a browser.
      const frame = typeof data === 'string' ? data : String(data)
      if (frame.length > MAX_TREE_LINK_MESSAGE_CHARS) {
        throw new MessageTooLargeError(`message too large: ${String(frame.length)} characters`)
      }
      const text = this.#assembler.take(frame)
      if (text === undefined) return
      message = parseJsonText(text, MAX_TREE_CHUNKED_MESSAGE_CHARS) as M
    } catch (error) {
      this.#fail(new ProtocolError(`a data-channel message: ${(error as Error).message}`))
      return
    }
    if (this.#state === 'open') this.emit('message', message)
    else if (this.#state === 'connecting') this.#early.push(message)
  }

  #fail(error: Error): void {
    if (this.#state === 'closed') return
    this.emit('error', error)
    this.close()
  }

  #end(): void {
    if (this.#state === 'closed') return
    this.#state = 'closed'
    this.emit('close')
  }
}

/** Makes WebRTC tree links. */
export function createWebRtcConnector<M = unknown>(options: WebRtcConnectorOptions = {}): Connector<M> {
  return { create: (connect) => new SimplePeerChannel<M>(connect, options) }
}
