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
 * The root's heartbeat, in ms (`--heartbeat`): a WebSocket volunteer sends its own every half of it, the
 * server pings every socket at it, and a tree link silent for this long is closed. The product's value,
 * the one default of the CLI, the server, the overlay and a page that cannot read the run's config.
 * @default 2_000 ms (the original: 30 s)
 */
export const DEFAULT_HEARTBEAT_MS = 2_000

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
