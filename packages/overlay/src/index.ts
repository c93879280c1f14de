export type {
  Channel,
  ChannelEvents,
  ChannelState,
  ConnectOptions,
  Connector,
  JsonValue,
  PeerChannel,
  PeerChannelEvents,
  Signal,
} from './channel.ts'
export { systemClock, type Clock, type TimerHandle } from './clock.ts'
export * from './constants.ts'
// The channel, its heartbeat and round-trip measure, and the link that watches it are the protocol's
// (every link of a run has them, the root link to a pando-server too): the overlay passes them on.
export {
  Emitter,
  Heartbeat,
  Link,
  RoundTrip,
  smoothRoundTrip,
  type EventMap,
  type HeartbeatComponents,
  type HeartbeatOptions,
  type LinkHandlers,
  type Listener,
  type Subscribable,
} from '@pando/protocol'
export {
  ClosedError,
  HeartbeatTimeoutError,
  JoinAbortedError,
  JoinRejectedError,
  JoinTimeoutError,
  NotOpenError,
  ProtocolError,
  SignalError,
} from './errors.ts'
export { hashSlot } from './hash.ts'
export type { JoinRouterStats } from './join-router.ts'
export {
  isControlMessage,
  parseControlMessage,
  type AnswerSignalMessage,
  type CloseTabMessage,
  type ControlMessage,
  type HeartbeatMessage,
  type JoinRejectedMessage,
  type JoinSignalMessage,
  type PositionMessage,
  type SubtreeReportMessage,
  type ToJoinerMessage,
} from './messages.ts'
export type { TreeNodeComponents, TreeNodeOptions } from './options.ts'
export { createSeededRandom, randomId, type Random } from './random.ts'
export { chooseSlot, type RoutingPolicy } from './route-policy.ts'
export { RoutingTable } from './routing-table.ts'
export type {
  JoinRequest,
  AttemptHandlers,
  SignalingClient,
  SignalingEntry,
  SignalingAttempt,
} from './signaling.ts'
export type { SubtreeTotals } from './slots.ts'
export { createTreeNode, TreeNode } from './tree-node.ts'
export type { ChildInfo, TreeNodeEvents } from './tree-node-events.ts'
export { MemoryChannel, type MemorySignal } from './memory/memory-channel.ts'
export {
  createMemoryNetwork,
  MemoryNetwork,
  type MemoryNetworkOptions,
  type MemoryNetworkStats,
} from './memory/memory-network.ts'
export {
  createMemorySignaling,
  MemorySignaling,
  type MemorySignalingStats,
} from './memory/memory-signaling.ts'
export { createVirtualClock, VirtualClock, type RunOptions } from './memory/virtual-clock.ts'
export {
  SimplePeerChannel,
  createWebRtcConnector,
  type WebRtcConnectorOptions,
  type WebRtcImplementation,
} from './webrtc/simple-peer-channel.ts'
export {
  WebSocketChannel,
  type WebSocketChannelOptions,
  type WebSocketClose,
  type WebSocketLike,
} from './websocket/websocket-channel.ts'
