/**
 * Wall-clock time in milliseconds since the epoch, with sub-millisecond precision: the same clock a page reads
 * as `performance.timeOrigin + performance.now()`, so times taken here and in a tab can be compared.
 */
export function now(): number {
  return performance.timeOrigin + performance.now()
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

/** Calls `check` every `intervalMs` until it returns a value other than `undefined`; fails after `timeoutMs`. */
export async function pollFor<T>(
  check: () => T | undefined | Promise<T | undefined>,
  what: string,
  timeoutMs: number,
  intervalMs = 20,
): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await check()
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
    await sleep(intervalMs)
  }
}
