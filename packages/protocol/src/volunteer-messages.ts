import type { HeartbeatMessage } from './heartbeat-message.ts'
import type { Job, Outcome } from './job.ts'
import type { RecallMessage, ReturnMessage } from './give-back.ts'
import type { VolunteerReport } from './monitoring.ts'
import type { RunProgress } from './run-progress.ts'
import { MAX_VOLUNTEER_MESSAGE_BYTES } from './constants.ts'

/**
 * Messages between the root and a volunteer page over the volunteer WebSocket (`/volunteer`), as JSON text
 * frames. Both ends watch the link as a tree link is watched (the overlay's `Link`): each sends a
 * `heartbeat` every quarter heartbeat, which measures the round trip, and gives up a peer silent too long.
 */

/** Bumped when a message changes incompatibly; the root refuses a page with another version. */
export const VOLUNTEER_PROTOCOL_VERSION = 1

/**
 * A sign of life on the volunteer link, either way, every quarter heartbeat (WebSocket pings are answered by
 * the browser even when the page is frozen, so they cannot tell a frozen tab). It measures the round trip as
 * a tree link's heartbeat does: `sentAt` is the sender's clock, and the next heartbeat back echoes it
 * (`echo`) with how long it was kept (`heldMs`); clocks are never compared across peers. The root sends its
 * own only to a page whose heartbeats carry `sentAt`: an older page, which sends bare ones and would not
 * know the root's, gets none (so the protocol's version stays 1).
 */
export type VolunteerHeartbeat = HeartbeatMessage

/**
 * Largest `jobs` or `outcomes` message either side sends on a volunteer WebSocket, in characters of JSON:
 * half the byte limit, so escaping and multi-byte characters never push a message over it. A larger batch is
 * split; a single larger item or result is answered with an error instead.
 */
export const MAX_VOLUNTEER_MESSAGE_CHARS = MAX_VOLUNTEER_MESSAGE_BYTES / 2

/** What the page needs to start computing. */
export interface VolunteerConfig {
  /** URL of the user's module bundled for a Worker, relative to the page. */
  readonly bundleUrl: string
  /** The name of the module the run maps over the items (its file name), shown on the page. */
  readonly moduleName: string
}

export type RootToVolunteer =
  /**
   * Answer to `hello`: the volunteer's id and what to run; `browserMark`, the mark the root knows this
   * browser by, for the page to keep and send in its next `hello` (see `browser-mark.ts`; absent from an
   * older root).
   */
  | {
      readonly type: 'welcome'
      readonly volunteerId: string
      readonly config: VolunteerConfig
      readonly browserMark?: string
    }
  /** A batch of items to process. */
  | { readonly type: 'jobs'; readonly jobs: readonly Job[] }
  /** Give back up to `count` items not started yet (an idle volunteer waits for them): see `give-back.ts`. */
  | RecallMessage
  /** How far the run is, once per reporting interval (see `RunProgress`). */
  | ({ readonly type: 'progress' } & RunProgress)
  /** The root is closing the connection for this reason (protocol violation, version mismatch, shutdown). */
  | { readonly type: 'error'; readonly reason: string }
  /** The root's sign of life (see {@link VolunteerHeartbeat}). */
  | VolunteerHeartbeat

export type VolunteerToRoot =
  /**
   * First message of a connection. `workers`: the Workers the tab runs (1 to `MAX_TAB_WORKERS`; absent
   * from an older page: 1), which its credit counts. `browserMark`: the mark a root's `welcome` gave this
   * browser, when the page kept one (see `browser-mark.ts`).
   */
  | {
      readonly type: 'hello'
      readonly protocolVersion: number
      readonly deviceName: string
      readonly workers?: number
      readonly browserMark?: string
    }
  /**
   * Outcomes of items it was given, in any order, in batches; with its Workers' own time per item, in ms,
   * once a batch is over (`msPerItem`: honest for items that wait, see the scheduler's `BatchSizing.reported`).
   */
  | { readonly type: 'outcomes'; readonly outcomes: readonly Outcome[]; readonly msPerItem?: number }
  /** Items it was lent and will not compute, to lend elsewhere (not a failure): see `give-back.ts`. */
  | ReturnMessage
  /** The page's own sign of life, which tells the root a frozen or hung tab (see {@link VolunteerHeartbeat}). */
  | VolunteerHeartbeat
  /** Its status, every reporting interval (the root overwrites `id` with the one it gave). */
  | { readonly type: 'status'; readonly report: VolunteerReport }
