import { BATCHES_IN_FLIGHT, MAX_HIDDEN_ROUND_TRIP_MS, START_SOON_MS } from './constants.ts'

/**
 * The most a remote borrower may hold: what it will start soon, whatever its measured speed (no hoarding).
 * Each of the `concurrency` items it runs at once (its Workers; for a subtree, the sum) may have
 * `BATCHES_IN_FLIGHT` items, one running and one next, and more only while they take less than the start-soon
 * horizon (`START_SOON_MS`: the batches in flight) plus the round trip to the borrower (at most
 * `MAX_HIDDEN_ROUND_TRIP_MS`) at its time per item, `msPerItem` (`undefined` until measured: then the two per
 * worker only). Items of 1 s go two per Worker however long the round trip is measured; trivial items go by
 * the thousand.
 */
export function startSoonCredit(concurrency: number, msPerItem: number | undefined, roundTripMs = 0): number {
  const slots = Math.max(1, concurrency)
  if (msPerItem === undefined || !(msPerItem > 0)) return slots * BATCHES_IN_FLIGHT
  const horizonMs = START_SOON_MS + Math.min(Math.max(0, roundTripMs), MAX_HIDDEN_ROUND_TRIP_MS)
  const perSlot = Math.max(BATCHES_IN_FLIGHT, Math.ceil(horizonMs / msPerItem))
  return Math.min(Number.MAX_SAFE_INTEGER, slots * perSlot)
}
