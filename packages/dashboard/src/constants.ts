import { MONITOR_FEED_PATH, MONITOR_PATH } from '@pando/protocol'

/** Path of the feed, relative to the page (served at `/monitor/`, so the feed is `/monitor/feed`). */
export const FEED_PATH = MONITOR_FEED_PATH.slice(`${MONITOR_PATH}/`.length)

/** How many statuses the throughput-over-time chart keeps (about 10 minutes at one every 3 s). */
export const HISTORY_LENGTH = 200

/** Volunteers drawn separately in the stacked chart; the others are summed as one "others" band. */
export const MAX_STACKED_SERIES = 10

/** How often ages, elapsed time and the ETA are refreshed between statuses, in ms. */
export const CLOCK_INTERVAL = 1_000

/** The bar charts show at most this many volunteers: the busiest ones. */
export const MAX_BAR_ROWS = 40

/** Beyond this many volunteers, the tree drawing names nodes only in their tooltips. */
export const MAX_TREE_LABELS = 24

/** Characters of a volunteer's id shown in its row. */
export const TABLE_ID_CHARS = 8

/** Characters of a name under its node: a default name and its short id (`Chrome · Linux · 3fa2`) fit. */
export const TREE_LABEL_LENGTH = 22

/** The least the time axis spans, in seconds. */
export const MIN_TIME_SPAN = 20

/** Longest device name shown beside a bar, in characters (its width in pixels: the charts' `BAR_LABEL_WIDTH`). */
export const BAR_LABEL_LENGTH = 24
