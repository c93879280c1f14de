/* eslint-disable @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-unnecessary-type-assertion --
   node-datachannel's polyfill declares DOM types that Node's lib lacks: the type checker reads them as errors. */
import * as polyfill from 'node-datachannel/polyfill'
import type { WebRtcImplementation } from '@pando/overlay'
import { nodeIceServers, type IceServerEntry } from './node-ice-servers.ts'

/** The part of an `RTCConfiguration` read here (Node's types have no DOM, so none of its fields). */
interface PeerConnectionConfig {
  readonly iceServers?: readonly IceServerEntry[]
}

type PolyfillConfig = ConstructorParameters<typeof polyfill.RTCPeerConnection>[0]

interface PlainDescription {
  type: string
  sdp: string
}

function plain(description: { type: string; sdp: string }): PlainDescription {
  return { type: description.type, sdp: description.sdp }
}

/**
 * node-datachannel's WebRTC for simple-peer in Node. simple-peer assigns `offer.sdp` (to filter it), and the
 * polyfill's descriptions only have getters: hand it plain `{ type, sdp }` objects instead. TURN credentials
 * go into the servers' URLs percent-encoded ({@link nodeIceServers}), which the polyfill does not do.
 */
class PlainDescriptionPeerConnection extends polyfill.RTCPeerConnection {
  constructor(config?: PeerConnectionConfig) {
    super(
      (config?.iceServers === undefined
        ? config
        : { ...config, iceServers: nodeIceServers(config.iceServers) }) as PolyfillConfig,
    )
  }

  override async createOffer(): Promise<PlainDescription> {
    return plain(await super.createOffer())
  }

  override async createAnswer(): Promise<PlainDescription> {
    return plain(await super.createAnswer())
  }
}

export const nodeWrtc = {
  RTCPeerConnection: PlainDescriptionPeerConnection,
  RTCSessionDescription: polyfill.RTCSessionDescription,
  RTCIceCandidate: polyfill.RTCIceCandidate,
} as unknown as WebRtcImplementation
