/**
 * A ring buffer's room, doubled: its `count` values from slot `head` on (wrapping around), in order, at the
 * start of a new array twice the size of `slots`. What a full ring (`Deque`, `ReorderWindow`) grows into;
 * its head is then slot 0.
 */
export function doubledRing<T>(
  slots: readonly (T | undefined)[],
  head: number,
  count: number,
): (T | undefined)[] {
  const doubled = new Array<T | undefined>(slots.length * 2)
  for (let i = 0; i < count; i++) doubled[i] = slots[(head + i) % slots.length]
  return doubled
}
