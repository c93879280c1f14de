/** The volunteers' WebSocket endpoint. */
export const VOLUNTEER_PATH = '/volunteer'

/** Where the files of one run (the user's bundled module) are served. */
export const RUN_PATH = '/run'

/**
 * Time between two WebSocket pings; a volunteer that has not answered the previous ping by then is
 * terminated, so a silent one is detected within two intervals.
 * @default 2_000 ms (the original: 30 s)
 */
export const DEFAULT_HEARTBEAT_MS = 2_000

/** Largest WebSocket message accepted from a volunteer. */
export const MAX_PAYLOAD_BYTES = 16 * 1024 * 1024
