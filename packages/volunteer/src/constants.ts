/** Period over which the page averages its throughput, in ms. */
export const THROUGHPUT_WINDOW = 5_000

/** How often the page refreshes its throughput figure, in ms. */
export const VIEW_REFRESH_INTERVAL = 1_000

/**
 * Shortest time between two changes of the page's status and counts shown, in ms, while they change at
 * every batch: a change shown costs a frame of the page's time, which its Worker would rather have.
 */
export const BUSY_VIEW_INTERVAL = 500

/** localStorage key of the device name the volunteer chose. */
export const DEVICE_NAME_STORAGE_KEY = 'pando.deviceName'

/** localStorage key of the mark the last root gave this browser (protocol `browser-mark.ts`). */
export const BROWSER_MARK_STORAGE_KEY = 'pando.browserMark'

/**
 * Reorder window of a tab's lender, in items. A tab emits each outcome as soon as it is settled, and what it
 * holds is bounded by the credit its parent gives it (two batches per worker in its subtree), so the window
 * must never be what stops it: it only guards memory against a parent that ignores the credit.
 */
export const TREE_LENDER_WINDOW = 1_000_000

/**
 * Failed join attempts after which a page that may fall back (no `#protocol=webrtc`) gives up on the tree
 * and uses the WebSocket, in attempts. With the overlay's back-off (1 s, then 2 s) a page whose signaling
 * is refused at once falls back after about 3 s; three tries ride out one unlucky attempt.
 */
export const FALLBACK_FAILED_JOINS = 3

/**
 * The item deadline, in ms, when the root's `run/config.json` cannot be read: the product's default, whose
 * home is `@pando/protocol`, under the name `websocket-volunteer.ts` imports.
 */
export { DEFAULT_ITEM_TIMEOUT_MS as DEFAULT_ITEM_TIMEOUT } from '@pando/protocol'

/**
 * How long a Worker that missed the item deadline has to answer a ping, in ms. One whose event loop is free
 * (its items wait for something) answers within a few ms; one stuck in a synchronous loop never does.
 */
export const STUCK_WORKER_PING_MS = 250

/**
 * Largest `status` message a tab sends up the tree, in bytes of UTF-8 JSON: under the 256 KiB that browsers
 * and node-datachannel accept per data-channel message, with room to spare. A report takes 600 to 700 bytes,
 * so some 300 volunteers fit; beyond, the deepest ones are left out (see `boundReports`).
 */
export const MAX_TREE_STATUS_BYTES = 192 * 1024

/** localStorage key of the tab's settings the volunteer chose: Workers, CPU use, automatic pauses. */
export const TAB_SETTINGS_STORAGE_KEY = 'pando.tabSettings'

/**
 * While a tab that was in a run reconnects, how often it asks the server for the run's config (`RunWatch`),
 * in ms: to tell its volunteer whether the root can be reached, and to learn from a `pando-server` that the
 * run finished.
 */
export const RUN_WATCH_INTERVAL_MS = 1_000

/**
 * Failed config requests in a row, while reconnecting, after which the page says the root cannot be reached:
 * more than one, so that a blip of the network does not show. A failure never means the run finished.
 */
export const RUN_WATCH_FAILURES = 2

/**
 * How long one config request of the `RunWatch` may take, in ms, before it counts as failed: a root that
 * stalls (stopped, swapping) accepts the connection and never answers.
 */
export const RUN_WATCH_TIMEOUT_MS = 2_000

/**
 * Least time between two {@link ProgressMessage}s, in ms: a batch of quick items costs a message every so
 * often, not one per item. Progress made meanwhile is posted by a timer, or with the batch's reply; a Worker
 * stuck in a loop posts nothing more, so the page may see its last progress up to this much late: small
 * beside any useful item deadline. Each message's outcomes go up to the lender at once, a message of the
 * tree or WebSocket: at 20 ms, a tab of 2 Workers on 10 ms items sent some 100 a second, and the CPU they
 * cost outside the Workers (root, page, the rest of Chromium) was most of what took 2 Workers under 1.8×
 * one on 2 cores (bench/README.md). 100 ms, one batch time (the scheduler's `ADAPTIVE_BATCH_MS`), sends
 * them about as often as batches come.
 */
export const PROGRESS_INTERVAL_MS = 100

/** How long "Saved" shows beside the device name after an edit, in ms. */
export const SAVED_NOTE_MS = 2_000
