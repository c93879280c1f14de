import type { LentSubStream } from './sub-stream.ts'

/** The items of `sub` that the run still waits for: those it holds, less those settled through another. */
const unsettledHeld = (sub: LentSubStream): number => sub.held - sub.settledElsewhere

/**
 * Whether `sub` is idle and wants work: its read waits, it has free credit, and it holds nothing the run
 * waits for.
 */
export const idleWaiting = (sub: LentSubStream): boolean =>
  sub.wantsJobs && sub.free > 0 && unsettledHeld(sub) === 0

/**
 * Whom to ask for items back when borrowers wait idle with `wanted` free credit between them and nothing is
 * left to lend (SPEC 49): the open sub-stream that can be recalled, has no recall unanswered, and holds the
 * most unsettled items, at least two (with one, it is computing it). It is asked for half of them (so it
 * keeps the ones it runs), at most `wanted`. Returns the sub-stream and the count, or `undefined`.
 */
export function pickRecall(
  open: Iterable<LentSubStream>,
  wanted: number,
): { readonly from: LentSubStream; readonly count: number } | undefined {
  let from: LentSubStream | undefined
  for (const sub of open) {
    if (sub.onRecall === undefined || sub.recalling || sub.closed) continue
    if (unsettledHeld(sub) < 2) continue
    if (from === undefined || unsettledHeld(sub) > unsettledHeld(from)) from = sub
  }
  if (from === undefined || wanted <= 0) return undefined
  return { from, count: Math.min(wanted, Math.floor(unsettledHeld(from) / 2)) }
}
