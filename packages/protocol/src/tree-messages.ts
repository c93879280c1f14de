import type { Job, Outcome } from './job.ts'
import type { VolunteerReport } from './monitoring.ts'

/**
 * Work messages on a link of the WebRTC tree, beside the overlay's own control messages (whose types the
 * overlay owns: `join-signal`, `subtree-report`, `heartbeat`…). A parent lends jobs to a child; the child
 * answers with outcomes, in any order, in batches.
 */
export type TreeWorkMessage =
  /** Parent → child: a batch of items to process (the child may lend them on to its own children). */
  | { readonly type: 'jobs'; readonly jobs: readonly Job[] }
  /** Child → parent: outcomes of items it was lent. */
  | { readonly type: 'outcomes'; readonly outcomes: readonly Outcome[] }
  /**
   * Child → parent, every reporting interval: the latest report of each volunteer in the child's subtree,
   * the child's own included (one entry per volunteer; see `combineReports`).
   */
  | { readonly type: 'status'; readonly reports: readonly VolunteerReport[] }
