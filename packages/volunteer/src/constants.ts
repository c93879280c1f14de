import { MAX_VOLUNTEER_MESSAGE_BYTES } from '@pando/protocol'

/** Path of the root's volunteer WebSocket endpoint, on the host that served the page. */
export const VOLUNTEER_PATH = '/volunteer'

/** First reconnection delay, in ms, before jitter; it doubles at each failed attempt. */
export const RECONNECT_BASE_DELAY = 250

/**
 * Longest reconnection delay, in ms, before jitter. A few seconds: a restarted root gets its volunteers back
 * quickly, and a hundred tabs retrying every few seconds cost a server nothing.
 */
export const RECONNECT_MAX_DELAY = 4_000

/** Period over which the page averages its throughput, in ms. */
export const THROUGHPUT_WINDOW = 5_000

/** How often the page refreshes its throughput figure, in ms. */
export const VIEW_REFRESH_INTERVAL = 1_000

/** localStorage key of the device name the volunteer chose. */
export const DEVICE_NAME_STORAGE_KEY = 'pando.deviceName'

/** Longest device name sent to the root, in characters (the root truncates to the same length). */
export const MAX_DEVICE_NAME_LENGTH = 100

/**
 * Largest `outcomes` message the page sends, in characters of JSON: half the root's limit, so escaping and
 * multi-byte characters never push a message over it. A larger batch is split; a single larger result is
 * replaced by an error outcome, since the root would refuse it.
 */
export const MAX_OUTCOMES_MESSAGE_CHARS = MAX_VOLUNTEER_MESSAGE_BYTES / 2
