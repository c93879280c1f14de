/** The median of `values`, `undefined` for none (the mean of the two middle values for an even count). */
export function median(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1
    ? sorted[middle]
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2
}

/** The median of the numbers `pick` finds in `runs` (runs where it finds none are skipped). */
export function medianOf<T>(runs: readonly T[], pick: (run: T) => number | undefined): number | undefined {
  return median(
    runs.map(pick).filter((value): value is number => value !== undefined && Number.isFinite(value)),
  )
}

/** `value` rounded to `digits` decimals; `undefined` stays. */
export function round(value: number | undefined, digits = 0): number | undefined {
  if (value === undefined) return undefined
  const scale = 10 ** digits
  return Math.round(value * scale) / scale
}

/** How many times each value occurs, keys sorted. */
export function histogram(values: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {}
  for (const value of [...values].sort()) counts[value] = (counts[value] ?? 0) + 1
  return counts
}
