import { RUN_CONFIG_FILENAME } from './run-config.ts'

/**
 * The paths a root (`pando`, or a `pando-server` hosting one) serves and its pages reach: the server routes
 * them, the pages, the CLI and the tests read them from here.
 */

/** The volunteers' WebSocket endpoint (the fallback protocol, and every page's first step). */
export const VOLUNTEER_PATH = '/volunteer'

/** The signaling relay of the WebRTC tree: one WebSocket per join attempt. */
export const JOIN_PATH = '/join'

/** Where the files of one run (the user's bundled module and its `config.json`) are served. */
export const RUN_PATH = '/run'

/** Where the run's `RunConfig` is, relative to a page served at `/`: `run/config.json`. */
export const RUN_CONFIG_PATH = `${RUN_PATH.slice(1)}/${RUN_CONFIG_FILENAME}`

/** Where the dashboard page is served. */
export const MONITOR_PATH = '/monitor'

/** The dashboards' WebSocket endpoint: the root pushes its status there, to any number of viewers. */
export const MONITOR_FEED_PATH = '/monitor/feed'

/** Where the root of a `pando-server`'s run registers: the root link (see `root-link.ts`). */
export const ROOT_PATH = '/root'
