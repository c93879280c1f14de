/** The volunteers' WebSocket endpoint. */
export const VOLUNTEER_PATH = '/volunteer'

/** The signaling relay of the WebRTC tree: one WebSocket per join attempt. */
export const JOIN_PATH = '/join'

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

/** Where the dashboard page is served. */
export const MONITOR_PATH = '/monitor'

/** The dashboards' WebSocket endpoint: the root pushes its status there, to any number of viewers. */
export const MONITOR_FEED_PATH = '/monitor/feed'

/** Largest WebSocket message accepted from a dashboard viewer (viewers send nothing). */
export const MAX_VIEWER_PAYLOAD_BYTES = 1024

/**
 * A viewer with more than this many bytes not yet sent is skipped by a broadcast: statuses are snapshots,
 * so a slow viewer gets the next one instead of a growing backlog.
 */
export const MAX_VIEWER_BACKLOG_BYTES = 8 * 1024 * 1024
