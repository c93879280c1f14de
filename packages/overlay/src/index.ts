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
export { Emitter, type EventMap, type Listener, type Subscribable } from './emitter.ts'
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
export { Heartbeat, type HeartbeatComponents, type HeartbeatOptions } from './heartbeat.ts'
export { Link, type LinkHandlers } from './link.ts'
export { RoundTrip, smoothRoundTrip } from './round-trip.ts'
export type { JoinRouterStats } from './join-router.ts'
export {
  isControlMessage,
  parseControlMessage,
  MAX_CLOSE_REASON_CHARS,
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
