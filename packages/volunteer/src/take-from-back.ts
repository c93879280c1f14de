/**
 * Takes up to `count` values off the back of `queue` and returns them in queue order: what a recall takes
 * from a queue of jobs not started, so that those that would run next stay. A `count` that is not a number
 * ≥ 1 takes nothing.
 */
export function takeFromBack<T>(queue: T[], count: number): T[] {
  const taken = Math.min(Math.max(0, Math.floor(count)), queue.length)
  return taken > 0 ? queue.splice(queue.length - taken, taken) : []
}
