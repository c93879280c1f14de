import type { HeartbeatMessage } from '@pando/protocol'
import type { Signal } from './channel.ts'
import { ProtocolError } from './errors.ts'
import { MAX_CLOSE_REASON_CHARS, MAX_NODE_ID_CHARS } from './constants.ts'

/**
 * One signal of a joiner, on its way down the tree to the node that accepts (or has accepted) it. The
 * signaling relay sets `origin`; the joiner sets the rest.
 */
export interface JoinSignalMessage {
  readonly type: 'join-signal'
  /** The join attempt, unique per attempt: every signal of one attempt carries it and follows one path. */
  readonly origin: string
  /** 0 for the attempt's first signal (the join request proper), then 1, 2… in order. */
  readonly seq: number
  /** Nodes joining with this request: 1 for a new node, the whole subtree for an orphan that rejoins. */
  readonly weight: number
  readonly signal: Signal
}

/** A signal of the accepting node, on its way up the tree to the root, then by the relay to the joiner. */
export interface AnswerSignalMessage {
  readonly type: 'answer-signal'
  readonly origin: string
  readonly signal: Signal
}

/**
 * A node gave up on a join attempt it cannot serve (its path broke when a node on it left, or its
 * candidate failed); it travels up like an answer, and the relay tells the joiner, which retries at once
 * instead of waiting for its bootstrap timeout.
 */
export interface JoinRejectedMessage {
  readonly type: 'join-rejected'
  readonly origin: string
  /** Why, for people. */
  readonly reason: string
}

/** What travels up the tree towards a joiner: its answer signals, or the news that its attempt failed. */
export type ToJoinerMessage = AnswerSignalMessage | JoinRejectedMessage

/**
 * A child's account of its subtree, sent to its parent when it changes (at most once per report
 * interval). The parent adds what it routed to the child since (`received` tells how much of that the
 * child has counted already).
 */
export interface SubtreeReportMessage {
  readonly type: 'subtree-report'
  /** The child's node id. */
  readonly id: string
  /** Connected nodes in the child's subtree, the child included. */
  readonly size: number
  /** Nodes on their way into the subtree: candidates, requests waiting for a slot or on a link. */
  readonly pending: number
  /** Workers in the subtree, the child's own included: what the lender scales the child's credit by. */
  readonly workers: number
  /** Total weight of the first join signals the child received from this parent. */
  readonly received: number
}

/** The parent tells a child where it is: sent on connect and whenever the parent's own depth changes. */
export interface PositionMessage {
  readonly type: 'position'
  /** The parent's node id. */
  readonly parent: string
  /** The receiver's depth: the root is at 0, its children at 1. */
  readonly depth: number
}

/** A sign of life, which also measures the round trip: the protocol's, every link's. */
export type { HeartbeatMessage }

/**
 * The root excludes one tab (its results were outvoted): each node passes the order down to every child,
 * until the tab's parent, which passes it to the tab itself and closes its link. A tab told so leaves the
 * tree for good, closing its own children's links (they rejoin through the root). SPEC 21.
 */
export interface CloseTabMessage {
  readonly type: 'close-tab'
  /** The tab's node id. */
  readonly id: string
  /** Why, for people (at most `MAX_CLOSE_REASON_CHARS`). */
  readonly reason: string
}

/** The overlay's own messages on a tree link. Any other message belongs to the application. */
export type ControlMessage =
  | JoinSignalMessage
  | AnswerSignalMessage
  | JoinRejectedMessage
  | SubtreeReportMessage
  | PositionMessage
  | HeartbeatMessage
  | CloseTabMessage

const CONTROL_TYPES: ReadonlySet<string> = new Set([
  'join-signal',
  'answer-signal',
  'join-rejected',
  'subtree-report',
  'position',
  'heartbeat',
  'close-tab',
])

/** Whether `value` claims to be a control message (its `type` is one of the overlay's). */
export function isControlMessage(value: unknown): value is { readonly type: ControlMessage['type'] } {
  return (
    typeof value === 'object' &&
    value !== null &&
    CONTROL_TYPES.has((value as { type?: unknown }).type as string)
  )
}

/**
 * Checks a message that {@link isControlMessage} accepted, field by field, and returns it typed. Throws
 * {@link ProtocolError} naming the first bad field.
 */
export function parseControlMessage(value: { readonly type: ControlMessage['type'] }): ControlMessage {
  const m = value as unknown as Record<string, unknown>
  switch (value.type) {
    case 'join-signal':
      text(m, 'origin')
      count(m, 'seq')
      count(m, 'weight', 1)
      present(m, 'signal')
      break
    case 'answer-signal':
      text(m, 'origin')
      present(m, 'signal')
      break
    case 'join-rejected':
      text(m, 'origin')
      if (typeof m['reason'] !== 'string') throw invalid(m, 'reason')
      break
    case 'subtree-report':
      text(m, 'id')
      count(m, 'size', 1)
      count(m, 'pending')
      count(m, 'workers')
      count(m, 'received')
      break
    case 'position':
      text(m, 'parent')
      count(m, 'depth', 1)
      break
    case 'close-tab':
      text(m, 'id')
      if ((m['id'] as string).length > MAX_NODE_ID_CHARS) throw invalid(m, 'id')
      if (typeof m['reason'] !== 'string' || m['reason'].length > MAX_CLOSE_REASON_CHARS)
        throw invalid(m, 'reason')
      break
    case 'heartbeat':
      for (const field of ['sentAt', 'echo', 'heldMs']) optionalTime(m, field)
      if ((m['echo'] === undefined) !== (m['heldMs'] === undefined)) throw invalid(m, 'echo')
      break
  }
  return value as ControlMessage
}

function text(m: Record<string, unknown>, field: string): void {
  const v = m[field]
  if (typeof v !== 'string' || v.length === 0) throw invalid(m, field)
}

function count(m: Record<string, unknown>, field: string, min = 0): void {
  const v = m[field]
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min) throw invalid(m, field)
}

/** A time or a duration in ms, if there is one: finite and not negative. */
function optionalTime(m: Record<string, unknown>, field: string): void {
  const v = m[field]
  if (v !== undefined && (typeof v !== 'number' || !Number.isFinite(v) || v < 0)) throw invalid(m, field)
}

function present(m: Record<string, unknown>, field: string): void {
  if (m[field] === undefined) throw invalid(m, field)
}

function invalid(m: Record<string, unknown>, field: string): ProtocolError {
  return new ProtocolError(`invalid '${field}' in a '${String(m['type'])}' message`)
}
