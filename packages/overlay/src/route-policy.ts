import { hashSlot } from './hash.ts'

/**
 * How a full node picks the child slot for a join attempt's first signal.
 * - `'hash'`: the original's `hash(origin, node id) mod degree`.
 * - `'least-loaded'`: the slot with the fewest nodes in and on their way into its subtree (as far as this
 *   node knows: the child's last report plus what it routed there since), ties broken in hash order.
 *
 * Later signals of the attempt follow the routing table either way, and the hash when it has no entry.
 */
export type RoutingPolicy = 'least-loaded' | 'hash'

/** The slot for the first signal of `origin` at a full node `nodeId`. `load(i)` is slot i's load. */
export function chooseSlot(
  policy: RoutingPolicy,
  origin: string,
  nodeId: string,
  degree: number,
  load: (slot: number) => number,
): number {
  const hashed = hashSlot(origin, nodeId, degree)
  if (policy === 'hash') return hashed
  let best = hashed
  let bestLoad = load(hashed)
  for (let k = 1; k < degree; k++) {
    const slot = (hashed + k) % degree
    const slotLoad = load(slot)
    if (slotLoad < bestLoad) {
      best = slot
      bestLoad = slotLoad
    }
  }
  return best
}
