import type { PeerChannel } from './channel.ts'
import type { AnswerSignalMessage, JoinRejectedMessage } from './messages.ts'

/** What a node knows of one child. */
export interface ChildInfo {
  readonly index: number
  /** The child's id, once it reported. */
  readonly id: string | undefined
  readonly channel: PeerChannel
  /** Connected nodes in its subtree, as last reported. */
  readonly size: number
  /** Nodes on their way into its subtree, as last reported. */
  readonly pending: number
  /** Workers in its subtree, as last reported: what its credit scales with. */
  readonly workers: number
  /** The round trip to it in ms, as the link's heartbeats last measured it (0 until then): live. */
  readonly roundTripMs: number
}

/** Events of a {@link TreeNode}. */
export interface TreeNodeEvents {
  /** A parent channel opened: the node joined (or rejoined) the tree. */
  parent: [channel: PeerChannel]
  /** The parent channel closed; the node rejoins by itself unless `rejoin` is false. */
  'parent-lost': []
  /** The node's depth is known or changed (the root: 0). */
  position: [depth: number]
  /** A candidate connected and became a child. */
  child: [child: ChildInfo]
  /** A child's channel closed; its slot is free. */
  'child-left': [child: ChildInfo]
  /** A child reported its subtree. */
  'child-report': [child: ChildInfo]
  /** Root only: a signal for the joiner `message.origin`, to hand to the signaling relay. */
  'answer-signal': [message: AnswerSignalMessage]
  /** Root only: a join attempt the tree gave up on, to hand to the signaling relay. */
  'join-rejected': [message: JoinRejectedMessage]
  /** A join attempt failed (a JoinTimeoutError, JoinAbortedError or the channel's error); it is retried. */
  'join-failed': [error: Error]
  /** A peer broke the protocol (ProtocolError) or went silent (HeartbeatTimeoutError); its link is closed. */
  'peer-error': [error: Error]
  /** A message that is not the overlay's, from the parent or a child: the application's to handle. */
  message: [from: PeerChannel, message: unknown]
  /**
   * The root excluded this tab (its parent passed a `close-tab` naming it, with `reason`): the node closes
   * next, its children's links too (they rejoin through the root), and does not rejoin.
   */
  excluded: [reason: string]
  /** The node closed. */
  close: []
}
