import type { Connector } from './channel.ts'
import type { Clock } from './clock.ts'
import {
  DEFAULT_BOOTSTRAP_TIMEOUT_MS,
  DEFAULT_DEGREE,
  DEFAULT_HEARTBEAT_MS,
  DEFAULT_REPORT_INTERVAL_MS,
  DEFAULT_ROUTING_TABLE_SIZE,
  DEFAULT_WORKERS,
} from './constants.ts'
import { randomId, type Random } from './random.ts'
import type { RoutingPolicy } from './route-policy.ts'
import type { SignalingClient } from './signaling.ts'

/** Settings of a {@link TreeNode}. */
export interface TreeNodeOptions {
  /** This node's id, as its parent and children see it. @default 16 random hex digits */
  readonly id?: string
  /** Whether this node is the root: it never joins, and takes join signals from the relay. @default false */
  readonly root?: boolean
  /** Children and candidates at most, in nodes. @default DEFAULT_DEGREE (10) */
  readonly degree?: number
  /**
   * How long a join attempt may take before the joiner retries and the accepting node frees the slot, in
   * ms. @default DEFAULT_BOOTSTRAP_TIMEOUT_MS (10,000)
   */
  readonly bootstrapTimeoutMs?: number
  /** A parent or child silent for this long is closed, in ms; 0 disables. @default DEFAULT_HEARTBEAT_MS (2,000) */
  readonly heartbeatMs?: number
  /** How a full node picks the child for a new join attempt. @default 'least-loaded' */
  readonly routing?: RoutingPolicy
  /** Entries of the routing table (origin → child), in entries. @default DEFAULT_ROUTING_TABLE_SIZE (65,536) */
  readonly routingTableSize?: number
  /** Least time between two subtree reports to the parent, in ms. @default DEFAULT_REPORT_INTERVAL_MS (1,000) */
  readonly reportIntervalMs?: number
  /** This node's own workers, in workers. @default DEFAULT_WORKERS (1) */
  readonly workers?: number
  /** Whether to rejoin through the root, by itself, when the parent is lost. @default true */
  readonly rejoin?: boolean
}

/** The collaborators of a {@link TreeNode}, injected so that tests and simulations can replace them. */
export interface TreeNodeComponents {
  /** Makes the channels to the parent and to children. */
  readonly connector: Connector
  /** The joiner's side of the signaling relay; needed to join (not by the root). */
  readonly signaling?: SignalingClient
  /** @default systemClock */
  readonly clock?: Clock
  /** @default Math.random */
  readonly random?: Random
}

/** Options with every default filled in and checked. */
export type ResolvedTreeNodeOptions = Required<TreeNodeOptions>

/** Fills in defaults and checks ranges; throws RangeError on a bad value. */
export function resolveOptions(options: TreeNodeOptions, random: Random): ResolvedTreeNodeOptions {
  const resolved: ResolvedTreeNodeOptions = {
    id: options.id ?? randomId(random),
    root: options.root ?? false,
    degree: options.degree ?? DEFAULT_DEGREE,
    bootstrapTimeoutMs: options.bootstrapTimeoutMs ?? DEFAULT_BOOTSTRAP_TIMEOUT_MS,
    heartbeatMs: options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS,
    routing: options.routing ?? 'least-loaded',
    routingTableSize: options.routingTableSize ?? DEFAULT_ROUTING_TABLE_SIZE,
    reportIntervalMs: options.reportIntervalMs ?? DEFAULT_REPORT_INTERVAL_MS,
    workers: options.workers ?? DEFAULT_WORKERS,
    rejoin: options.rejoin ?? true,
  }
  integer('degree', resolved.degree, 1)
  positive('bootstrapTimeoutMs', resolved.bootstrapTimeoutMs)
  nonNegative('heartbeatMs', resolved.heartbeatMs)
  nonNegative('reportIntervalMs', resolved.reportIntervalMs)
  integer('routingTableSize', resolved.routingTableSize, 0)
  integer('workers', resolved.workers, 0)
  if (resolved.routing !== 'least-loaded' && resolved.routing !== 'hash') {
    throw new RangeError(`routing must be 'least-loaded' or 'hash', not ${String(resolved.routing)}`)
  }
  if (resolved.id.length === 0) throw new RangeError('id must not be empty')
  return resolved
}

function integer(name: string, value: number, min: number): void {
  if (!Number.isSafeInteger(value) || value < min) {
    throw new RangeError(`${name} must be an integer ≥ ${String(min)}, not ${String(value)}`)
  }
}

function positive(name: string, value: number): void {
  if (!(value > 0)) throw new RangeError(`${name} must be positive, not ${String(value)}`)
}

function nonNegative(name: string, value: number): void {
  if (!(value >= 0)) throw new RangeError(`${name} must be ≥ 0, not ${String(value)}`)
}
