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

/**
 * The longest device name, in characters: a page sends at most this in its `hello` and its reports, and
 * the root cuts a longer one to it.
 */
export const MAX_DEVICE_NAME_LENGTH = 100

/**
 * The most Workers one tab may say it runs, in its `hello` and its reports (and the most a tab starts): a
 * bound on what the root believes of a page before it answered anything. 64 covers the largest desktops.
 */
export const MAX_TAB_WORKERS = 64

/**
 * The largest first message on `/volunteer`, in characters: a `hello` is some 100. Until a socket has said
 * hello it may send no more than this; a larger frame is refused as too big (1009) before it is parsed,
 * however large the endpoint's own limit is.
 */
export const MAX_VOLUNTEER_HELLO_CHARS = 4 * 1024

/**
 * How long a socket on `/volunteer` may stay open without saying hello, in ms; then it is closed (1008)
 * with the reason. A page says hello as soon as it connects.
 * @default 10_000 ms (as a root link's hello on `pando-server`'s `/root`)
 */
export const VOLUNTEER_HELLO_TIMEOUT_MS = 10_000

/**
 * The largest message on a tree link (a WebRTC data channel), in characters: Chromium caps a data-channel
 * message at 256 KiB, so no page can send more; the root's node-datachannel would take more, from a peer
 * that is not a browser. Work messages stay under `MAX_TREE_MESSAGE_CHARS`, status reports under the
 * volunteer's `MAX_TREE_STATUS_BYTES`.
 */
export const MAX_TREE_LINK_MESSAGE_CHARS = 256 * 1024

/**
 * The largest item or result any link carries, in characters of JSON (its value as a JSON string): a tree
 * link splits a message into chunks (`tree-chunks.ts`) up to this plus one ordinary message's room, and a
 * volunteer WebSocket frame (16 MiB) holds this much even if every character takes three bytes of UTF-8.
 * A larger item is not lent at all but fails at once with a {@link TRANSPORT_LIMIT_ERROR} (not retried);
 * a larger result is answered with that error by the volunteer instead of being sent.
 * @default 4 Mi characters
 */
export const MAX_LINK_ITEM_CHARS = 4 * 1024 * 1024

/**
 * The default largest result, in characters (`--max-result-size`): a larger one is not kept but fails its
 * item with a {@link RESULT_TOO_LARGE_ERROR}, so one item's result cannot take the root's memory.
 * @default 1 MiB of characters
 */
export const DEFAULT_MAX_RESULT_CHARS = 1024 * 1024

/**
 * The byte budget of the root's reorder window, in characters of results: results that wait for a lower
 * item (a straggler, an item lent again) count against it, and past it the root lends no new items until
 * the head is emitted, as it does when the window is full of items. With results of at most
 * `--max-result-size`, what the root holds is bounded by this plus what was lent before it stopped.
 * @default 64 Mi characters (64–128 MB)
 */
export const REORDER_WINDOW_CHARS = 64 * 1024 * 1024

/**
 * WebSockets one address may hold open on `/volunteer`, at once; more are refused with 1013 ("try again
 * later"), which a page answers by reconnecting after a back-off. IPv6 addresses count by their /64. Room
 * for a classroom behind one NAT, or the tests' and benches' 100 tabs on 127.0.0.1.
 * @default 200 sockets
 */
export const MAX_VOLUNTEER_SOCKETS_PER_ADDRESS = 200

/**
 * Dashboard viewers (`/monitor/feed`) one address may hold open at once; more are refused with 1013.
 * @default 20 viewers
 */
export const MAX_VIEWERS_PER_ADDRESS = 20

/** Weight of a new round-trip sample in the smoothed value (as TCP's SRTT: 1/8). */
export const ROUND_TRIP_SMOOTHING = 0.125

/**
 * Heartbeats sent whose echo is still awaited, at most: a sample counts only when it echoes one of them, so
 * a peer cannot make up a round trip from a time it never got (the oldest are forgotten past this many).
 */
export const MAX_UNECHOED_HEARTBEATS = 8

/** First reconnection delay, in ms, before jitter; it doubles at each failed attempt. */
export const RECONNECT_BASE_DELAY = 250

/**
 * Longest reconnection delay, in ms, before jitter. A few seconds: a restarted root gets its volunteers and
 * dashboards back quickly, and a hundred tabs retrying every few seconds cost a server nothing.
 */
export const RECONNECT_MAX_DELAY = 4_000

/** Items measured before `--item-timeout N%` applies: until then, {@link RELATIVE_TIMEOUT_WARMUP_MS} does. */
export const RELATIVE_TIMEOUT_SAMPLES = 3

/**
 * The item deadline of `--item-timeout N%` until {@link RELATIVE_TIMEOUT_SAMPLES} items are measured: the
 * option's built-in default, so that the first items, slow or not, have the time they always had.
 */
export const RELATIVE_TIMEOUT_WARMUP_MS = DEFAULT_ITEM_TIMEOUT_MS

/**
 * The least item deadline of `--item-timeout N%`: N% of a median of a few ms would give up items that a
 * pause of the garbage collector delayed.
 */
export const RELATIVE_TIMEOUT_FLOOR_MS = 1_000

/** The most tabs one job may name in `avoid`: an item has at most 64 copies (`COPY_SLOTS`). */
export const MAX_AVOIDED_TABS = 64

/**
 * The deepest nesting of arrays and objects any pando message needs: a root link's `to-joiner` carrying a
 * joiner's ICE candidate is the deepest, at 4 (`{message: {signal: {candidate: {…}}}}`). Anything deeper is
 * refused before `JSON.parse` sees it: a frame of 16 MB of `[[[…]]]` costs `JSON.parse` seconds of a
 * blocked event loop and a gigabyte of arrays, where this scan costs milliseconds and nothing.
 */
export const MAX_JSON_DEPTH = 16

/** Longest volunteer id the feed accepts, in characters. */
export const MAX_MONITORED_ID_LENGTH = 64

/** Longest exclusion reason a standing carries, in characters. */
export const MAX_EXCLUSION_REASON_LENGTH = 200

/** Longest units name a report carries (the module's `report()` units), in characters: longer ones are cut. */
export const MAX_UNITS_LENGTH = 40

/** Largest monitor message a dashboard accepts, in characters of JSON. */
export const MAX_MONITOR_MESSAGE_BYTES = 16 * 1024 * 1024

/** Largest single volunteer report accepted, in characters of JSON. */
export const MAX_VOLUNTEER_REPORT_BYTES = 4 * 1024

/** Most volunteers one monitor message may list. */
export const MAX_MONITORED_VOLUNTEERS = 20_000

/** The most signals one attempt may send (an offer and its ICE candidates). */
export const MAX_JOIN_SIGNALS = 64

/** Largest message the relay accepts from a joiner, in characters of JSON. */
export const MAX_JOIN_MESSAGE_BYTES = 64 * 1024

/** Largest message on the root link, in characters of JSON: the run's files fit in one. */
export const MAX_ROOT_LINK_MESSAGE_BYTES = 64 * 1024 * 1024

/** Largest `hello`, in characters of JSON: a root must prove itself before it may send more. */
export const MAX_ROOT_HELLO_BYTES = 4 * 1024

/** Longest secret accepted, in characters. */
export const MAX_SECRET_LENGTH = 1024

/** Most files in `run-files`. */
export const MAX_RUN_FILES = 16

/** Longest origin (a join attempt's id, of the relay's making), in characters. */
export const MAX_ORIGIN_LENGTH = 64

/**
 * Largest `jobs` or `outcomes` message on a tree link, in characters of JSON. Browsers cap a data-channel
 * message at 256 KiB (Chromium's `maxMessageSize`); a quarter of that in characters stays under it even if
 * every character takes three bytes of UTF-8. A larger batch is split into several messages; a message of a
 * single larger item or result travels in chunks (`tree-chunks.ts`), up to `MAX_LINK_ITEM_CHARS`.
 */
export const MAX_TREE_MESSAGE_CHARS = 64 * 1024

/** Largest message either side accepts, in bytes of JSON. */
export const MAX_VOLUNTEER_MESSAGE_BYTES = 16 * 1024 * 1024

/**
 * How long the root waits, once it has told the pages the run is over, before it closes its links and its
 * server, so that those last messages and close frames get out; in ms.
 */
export const RUN_FINISHED_GRACE_MS = 250

/** Characters of a volunteer's id shown in its label. */
export const SHORT_ID_LENGTH = 4

/** The latest item times the median is taken over: enough to be steady, few enough to sort at each item. */
export const RELATIVE_TIMEOUT_WINDOW = 255
