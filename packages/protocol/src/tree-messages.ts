import type { Job, Outcome } from './job.ts'
import type { RecallMessage, ReturnMessage } from './give-back.ts'
import type { VolunteerReport } from './monitoring.ts'
import type { RunProgress } from './run-progress.ts'

/**
 * Work messages on a link of the WebRTC tree, beside the overlay's own control messages (whose types the
 * overlay owns: `join-signal`, `subtree-report`, `heartbeat`…). A parent lends jobs to a child; the child
 * answers with outcomes, in any order, in batches.
 */
export type TreeWorkMessage =
  /** Parent → child: a batch of items to process (the child may lend them on to its own children). */
  | { readonly type: 'jobs'; readonly jobs: readonly Job[] }
  /** Child → parent: outcomes of items it was lent (with its own time per item, as on a WebSocket). */
  | { readonly type: 'outcomes'; readonly outcomes: readonly Outcome[]; readonly msPerItem?: number }
  /** Parent → child: give back up to `count` items not started yet (see `give-back.ts`). */
  | RecallMessage
  /** Child → parent: items it was lent and will not compute, to lend elsewhere (see `give-back.ts`). */
  | ReturnMessage
  /**
   * Child → parent, every reporting interval: the latest report of each volunteer in the child's subtree,
   * the child's own included (one entry per volunteer; see `combineReports`).
   */
  | { readonly type: 'status'; readonly reports: readonly VolunteerReport[] }
  /**
   * Parent → child, once per reporting interval: how far the run is, from the root; each tab passes it on to
   * its children.
   */
  | ({ readonly type: 'progress' } & RunProgress)
  /**
   * Both ways, once per tab and parent: the browser mark of the tab `id` (protocol `browser-mark.ts`). Up:
   * the mark the tab keeps (none: `mark` absent), passed on by each ancestor whose child's subtree holds
   * `id`; the root refuses a tab whose browser it excluded (it closes it: the overlay's `close-tab`). Down:
   * the mark the root gives it, passed on towards `id`, kept by the tab for its next join.
   */
  | BrowserMarkMessage
  /**
   * Parent → child, once: the run is over. The tab passes it on to its children and stops working (the
   * `/volunteer` socket's `CLOSE_RUN_FINISHED` says the same).
   */
  | { readonly type: 'finished' }

/** A tab's browser mark, on its way up to the root or down to the tab (see `TreeWorkMessage`). */
export interface BrowserMarkMessage {
  readonly type: 'browser-mark'
  /** The tab's node id. */
  readonly id: string
  /** The mark: absent on the way up from a tab that has none yet. */
  readonly mark?: string
}
