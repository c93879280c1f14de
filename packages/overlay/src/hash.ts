/**
 * The slot of the original's routing rule, `hash(origin, node id) mod degree`: the same on every call for
 * one origin at one node, spread evenly over the slots across origins and nodes. FNV-1a over both ids,
 * then murmur3's finaliser so that the low bits taken by `mod` are well mixed.
 */
export function hashSlot(origin: string, nodeId: string, degree: number): number {
  let h = 0x811c9dc5
  h = fnv(h, origin)
  h = fnv(h ^ 0x2f, nodeId)
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  h ^= h >>> 16
  return (h >>> 0) % degree
}

function fnv(hash: number, text: string): number {
  let h = hash
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return h
}
