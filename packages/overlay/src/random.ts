/** A source of uniform numbers in [0, 1), like `Math.random`. */
export type Random = () => number

/**
 * A seeded generator (mulberry32): the same seed gives the same sequence on every platform, so that
 * simulations and `--seed` runs replay exactly. Not for secrets.
 */
export function createSeededRandom(seed: number): Random {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
}

/** A 64-bit identifier as 16 hex digits, drawn from `random`. */
export function randomId(random: Random): string {
  const word = (): string =>
    Math.floor(random() * 4_294_967_296)
      .toString(16)
      .padStart(8, '0')
  return word() + word()
}
