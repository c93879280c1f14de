/**
 * A short hash of an item's input, by which a resume checks it reads the same input as the journaled run:
 * cyrb53, a 53-bit non-cryptographic hash, as a number (exact in JSON; base 36 text cost 30 times more to
 * make). It guards against a changed input, not an attacker, and costs well under a microsecond for a short
 * line, where SHA-256 cost more than a trivial item itself.
 */
export function inputHash(value: string): number {
  let h1 = 0xdeadbeef
  let h2 = 0x41c6ce57
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i)
    h1 = Math.imul(h1 ^ c, 2654435761)
    h2 = Math.imul(h2 ^ c, 1597334677)
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909)
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909)
  return 4294967296 * (2097151 & h2) + (h1 >>> 0)
}
