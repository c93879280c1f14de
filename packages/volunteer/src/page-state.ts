import {
  CLOSE_DISCREDITED,
  CLOSE_EXCLUDED,
  CLOSE_INTERNAL_ERROR,
  CLOSE_MESSAGE_TOO_BIG,
  CLOSE_PROTOCOL_ERROR,
  CLOSE_ROOT_LEFT,
  CLOSE_RUN_FINISHED,
  CLOSE_TRY_AGAIN_LATER,
  NO_RUN_REASON,
} from '@pando/protocol'

/**
 * What the page shows as its status, one at a time:
 * - `waiting-for-run`: there is no run to join yet (a `pando-server` with no root registered, or whose root
 *   left); the page tries again by itself.
 * - `joining`: a run is there, the tab is on its way in (first connection, or first parent in the tree).
 * - `working`: its Worker is computing items.
 * - `waiting-for-work`: in the run, but holding no item now (others hold the rest); not "idle": more come.
 * - `paused`: the volunteer paused the tab (see `VolunteerPage.setPaused`).
 * - `reconnecting`: the tab was in the run and lost its link (its parent, its socket); it comes back by itself.
 * - `root-unreachable`: reconnecting, and the root cannot be reached (its server does not answer, or has no
 *   root now): the run may go on or not, the tab cannot know; it keeps trying and rejoins when it can.
 * - `finished`: the root said the run is over (or its `pando-server` did); the tab stops for good.
 * - `excluded`: the run excluded this tab for its results (or its browser's): it left the run for good, and
 *   the page's message says why.
 */
export type VolunteerStatus =
  | 'waiting-for-run'
  | 'joining'
  | 'working'
  | 'waiting-for-work'
  | 'paused'
  | 'reconnecting'
  | 'root-unreachable'
  | 'finished'
  | 'excluded'

/** Where the tab's link to the run stands, as the transports tell it. */
export type LinkPhase = 'waiting-for-run' | 'joining' | 'connected' | 'reconnecting' | 'finished' | 'excluded'

/**
 * The status the page shows for the link's phase, whether its Worker is busy, whether it is paused, and
 * whether its root can be reached (as the `RunWatch` found while reconnecting).
 */
export function statusOf(
  phase: LinkPhase,
  busy: boolean,
  paused: boolean,
  rootReachable = true,
): VolunteerStatus {
  if (phase === 'finished' || phase === 'excluded') return phase
  if (paused) return 'paused'
  if (phase === 'reconnecting' && !rootReachable) return 'root-unreachable'
  if (phase !== 'connected') return phase
  return busy ? 'working' : 'waiting-for-work'
}

/**
 * The phase a transport reports, as the page takes it: a tab that was in a run (`inRun`: connected since it
 * last finished) and is told there is no run (a `pando-server` whose root is gone) does not wait for a
 * *new* run: its own run was not said to be over, so it is reconnecting to it (and the `RunWatch` learns
 * whether that run finished, or its root cannot be reached).
 */
export function phaseShown(phase: LinkPhase, inRun: boolean): LinkPhase {
  return phase === 'waiting-for-run' && inRun ? 'reconnecting' : phase
}

/**
 * What a close of the `/volunteer` socket means for the page: the run is `finished` (stop); there is `no-run`
 * yet, or no longer (a `pando-server` without a root: wait for one); the run `excluded` the page for its
 * results, or its browser's (stop, saying why); the root `refused` the page for a reason worth showing (a
 * protocol error, a discredited volunteer…), then it reconnects; or the link was `lost` (reconnect, nothing
 * to alarm anyone).
 */
export type CloseMeaning = 'finished' | 'no-run' | 'excluded' | 'refused' | 'lost'

const REFUSALS: ReadonlySet<number> = new Set([
  CLOSE_PROTOCOL_ERROR,
  CLOSE_MESSAGE_TOO_BIG,
  CLOSE_INTERNAL_ERROR,
  CLOSE_DISCREDITED,
])

/** What the close code and reason of the `/volunteer` socket mean (see {@link CloseMeaning}). */
export function closeMeaning(code: number, reason: string): CloseMeaning {
  if (code === CLOSE_RUN_FINISHED) return 'finished'
  if (code === CLOSE_EXCLUDED) return 'excluded'
  if (code === CLOSE_ROOT_LEFT || (code === CLOSE_TRY_AGAIN_LATER && reason === NO_RUN_REASON))
    return 'no-run'
  return REFUSALS.has(code) ? 'refused' : 'lost'
}

/** Whether a failed join attempt in the tree was refused because there is no run (no root registered). */
export function isNoRunRefusal(error: Error): boolean {
  return error.message.includes(NO_RUN_REASON)
}
