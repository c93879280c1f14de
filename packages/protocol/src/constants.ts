/**
 * Name of the global through which a bundled processing module hands its exports to the volunteer's Worker.
 *
 * `@pando/bundler` builds the user's module into one classic Worker script that ends with
 * `self[WORKER_MODULE_GLOBAL] = namespace`, where `namespace` is what `import()` of the module gives in Node
 * (for CommonJS, `{ default: module.exports }`). The Worker loads that script with `importScripts` and passes
 * `self[WORKER_MODULE_GLOBAL]` to `resolveProcessFunction`. Both sides read this one constant, so the browser
 * code never imports the (Node-only) bundler.
 */
export const WORKER_MODULE_GLOBAL = 'pandoModule'

/**
 * The query parameter that carries a run's access token (`http://HOST:PORT/?token=…`): the pages read it from
 * their own URL and add it to every request they make (the run's files, the feeds and sockets); the server
 * refuses what comes without it (403), unless it was started `--open`.
 */
export const ACCESS_TOKEN_PARAMETER = 'token'

/**
 * The root's heartbeat, in ms (`--heartbeat`): a tree link sends its own every quarter of it and is closed
 * once silent for three quarters of it (within it); a WebSocket volunteer's link at twice it (see
 * {@link webSocketLinkTimeoutMs}); the server pings every socket at it. The product's value,
 * the one default of the CLI, the server, the overlay and a page that cannot read the run's config.
 * @default 2_000 ms (the original: 30 s)
 */
export const DEFAULT_HEARTBEAT_MS = 2_000

/**
 * The timeout of a WebSocket volunteer's link, at both ends (the root's watch of the page, the page's of the
 * root), for a `--heartbeat` of `heartbeatMs`: twice it, so heartbeats go every half heartbeat and a peer
 * silent for one and a half heartbeats is given up (within two). A WebSocket carries one whole message at a
 * time: an item or a result of megabytes holds back the heartbeats behind it, and a root busy with a large
 * frame sends none meanwhile. Tree links cut large messages in chunks (`tree-chunks.ts`) and keep `heartbeatMs`.
 */
export function webSocketLinkTimeoutMs(heartbeatMs: number): number {
  return 2 * heartbeatMs
}

/**
 * Heartbeat ticks per timeout of a `Link` (see `Heartbeat`). Each tick sends a heartbeat and checks the
 * peer's last sign of life; four ticks detect silence within the timeout and tolerate a delivery delay of
 * up to half of it before closing a live peer by mistake.
 */
export const HEARTBEAT_TICKS_PER_TIMEOUT = 4

/**
 * The timeout of the root link between a root and a `pando-server`, at both ends, for the server's
 * `--heartbeat` of `heartbeatMs`: four times it, so heartbeats go every heartbeat and a peer silent for three
 * is given up (within four: 8 s at the default 2 s). Losing the root ends its run, and a root busy computing
 * (`--no-start-idle`, a loaded machine) or uploading the run's files may send late: a peer whose own thread
 * stalls for up to two heartbeats (4 s) keeps its link (each end excuses its own stalls, `Heartbeat`).
 */
export function rootLinkTimeoutMs(heartbeatMs: number): number {
  return 4 * heartbeatMs
}

/**
 * Why a `Link` with this timeout gave its peer up, in the same words at both ends of a link: `no heartbeat
 * within 8 s` (the timeout, a fixed figure; the silence measured varies with the ticks).
 */
export function silentLinkReason(timeoutMs: number): string {
  return `no heartbeat within ${String(Math.round(timeoutMs / 100) / 10)} s`
}

/**
 * How long a WebRTC join attempt may take, in ms, on both sides (`--bootstrap-timeout`): the joiner gives
 * up and retries (or falls back to the WebSocket), the accepting node drops the candidate and frees its slot.
 * @default 10_000 ms (the original: 60 s)
 */
export const DEFAULT_BOOTSTRAP_TIMEOUT_MS = 10_000

/**
 * How long a WebSocket being closed gets to finish the closing handshake before its connection is cut, in
 * ms, on either end of a link: long enough for the close frame (and its reason) to reach the peer, short
 * enough that a peer which never answers does not hold its connection (or a root's pending place) for ws's
 * own 30 s.
 */
export const CLOSE_GRACE_MS = 1_000

/**
 * The TCP port of `pando`'s server and of a `pando-server` (`--port`), and the port of a `--host` that names
 * none. The original's.
 * @default 5_000
 */
export const DEFAULT_PORT = 5_000

/**
 * Children (and candidates) a node of the tree holds, in nodes (`--degree`): the product's value, the one
 * default of the CLI and the overlay. The original's: ten children keep a 10,000-tab tree four levels deep
 * while a tab relays to no more peers than a browser handles easily.
 * @default 10
 */
export const DEFAULT_DEGREE = 10

/**
 * The item deadline, in ms (`--item-timeout`): the CLI's default, and what a page that cannot read the run's
 * config uses.
 * @default 60_000 ms
 */
export const DEFAULT_ITEM_TIMEOUT_MS = 60_000

/**
 * Time between two status reports of each volunteer and two statuses of the run, in ms
 * (`--reporting-interval`): the CLI's default, and what a page that cannot read the run's config uses.
 * @default 3_000 ms (the original's)
 */
export const DEFAULT_REPORTING_INTERVAL_MS = 3_000

/**
 * Reporting intervals after which a volunteer's report is taken for that of a volunteer that left (or
 * stopped reporting): a tab no longer passes it up the tree, and the root no longer counts it.
 */
export const STALE_REPORT_INTERVALS = 3
