/**
 * Defaults and limits of the overlay. Each says its unit and why it has this value, so that whoever changes
 * one knows what it costs.
 */
import { MAX_MONITORED_ID_LENGTH } from '@pando/protocol'

/** Children (and candidates) a node holds, in nodes: the product's default (`--degree`). */
export { DEFAULT_DEGREE } from '@pando/protocol'

/** How long a join attempt may take, in ms, on both sides: the product's default (`--bootstrap-timeout`). */
export { DEFAULT_BOOTSTRAP_TIMEOUT_MS } from '@pando/protocol'

/** A peer silent for this long, in ms, is closed: the product's default (`--heartbeat`). */
export { DEFAULT_HEARTBEAT_MS } from '@pando/protocol'

/** Heartbeat ticks per `heartbeatMs`, every link's (the protocol's `Link`): four. */
export { HEARTBEAT_TICKS_PER_TIMEOUT } from '@pando/protocol'

/**
 * Least time between two subtree reports of one node, in ms. Routing does not wait for reports (a node
 * counts what it routed itself), so they only correct the counts when joins complete or fail; one per
 * second per node keeps a 10,000-node tree's report traffic at most 10,000 messages per second.
 */
export const DEFAULT_REPORT_INTERVAL_MS = 1_000

/**
 * Entries of a node's routing table (origin → child), in entries. A root flooded by 10,000 joiners at
 * once remembers each of them for a bootstrap timeout; an entry is a few dozen bytes, so the bound costs
 * at most a few MB. When full, a first request is routed by the hash, which needs no entry.
 */
export const DEFAULT_ROUTING_TABLE_SIZE = 65_536

/**
 * Own workers of a node, in workers, when none is given: a tab runs one Worker unless it says otherwise.
 */
export const DEFAULT_WORKERS = 1

/**
 * Longest random delay before an orphan starts to rejoin, in ms, divided by the size of the subtree it
 * brings. The original waited 0–1 s before a page (re)joined; spreading the children of one lost parent
 * keeps them from reaching the root in the same instant, and letting the largest subtrees go first gives
 * them the slots nearest the root (the one their lost parent freed), which keeps the tree shallow.
 */
export const REJOIN_JITTER_MS = 1_000

/** Delay before retrying after the first failed join attempt, in ms; it doubles with each failure. */
export const JOIN_RETRY_MIN_MS = 1_000

/** Longest delay between two join attempts, in ms: a joiner keeps trying at least twice a minute. */
export const JOIN_RETRY_MAX_MS = 30_000

/**
 * Greatest depth a node accepts from its parent, in levels. A fat tree of degree 2 holding a million
 * nodes is 20 levels deep; a larger depth can only come from a cycle, which this stops.
 */
export const MAX_DEPTH = 1_000

/**
 * Extra (trickled) signals an initiating memory channel emits after its offer, in signals. Two make every
 * join send three signals along one path, as trickle ICE does with a couple of host candidates.
 */
export const MEMORY_TRICKLE_SIGNALS = 2

/** The longest reason a `close-tab` carries, in characters. */
export const MAX_CLOSE_REASON_CHARS = 300

/** The longest node id a `close-tab` names, in characters (as the monitoring's ids). */
export const MAX_NODE_ID_CHARS = MAX_MONITORED_ID_LENGTH
