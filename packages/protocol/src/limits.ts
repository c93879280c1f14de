/**
 * Bounds on what a peer (a volunteer page, a tree link, a dashboard viewer, a joiner) can send or make the
 * root hold, checked before anything is parsed. Each says its unit and why it is that size.
 */

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
