import type { ItemTimeout } from '@pando/protocol'

/** Milliseconds in each unit a duration may be written in: `90s`, `1.5m`, `250ms`, `2h`. */
const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 } as const

/** A unit of {@link UNIT_MS}: what a bare number means for an option (`--heartbeat 2000` is ms). */
export type DurationUnit = keyof typeof UNIT_MS

/**
 * A duration option's value: milliseconds, or (where the option allows it) a percentage of the median item
 * time. The shape of `--item-timeout` that the volunteers' run config carries too (`ItemTimeout`).
 */
export type DurationValue = ItemTimeout

/** A time relative to the median item time measured so far: `--item-timeout 300%`. */
export type RelativeDuration = Exclude<ItemTimeout, number>

const DURATION = /^(\d+(?:\.\d+)?|\.\d+)(ms|s|m|h|%)?$/

/**
 * Reads a duration as typed: a number, with a unit (`ms`, `s`, `m`, `h`) or without one (`bareUnit` then),
 * or, when `relative`, a percentage (`300%`). Returns whole milliseconds (rounded), the percentage, or
 * `undefined` when the text is none of these.
 */
export function parseDuration(
  text: string,
  bareUnit: DurationUnit,
  relative: boolean,
): DurationValue | undefined {
  const match = DURATION.exec(text.trim())
  if (!match) return undefined
  const [, number = '', unit] = match
  if (unit === '%') return relative ? { percent: Number(number) } : undefined
  return Math.round(Number(number) * UNIT_MS[(unit as DurationUnit | undefined) ?? bareUnit])
}

/** A duration for people, in the largest unit that writes it whole: `90s`, `2m`, `1500ms`, `300%`. */
export function formatDuration(value: DurationValue): string {
  if (typeof value !== 'number') return `${value.percent}%`
  if (value === 0) return '0'
  for (const unit of ['h', 'm', 's'] as const) {
    if (value % UNIT_MS[unit] === 0) return `${value / UNIT_MS[unit]}${unit}`
  }
  return `${value}ms`
}

export function isRelativeDuration(value: unknown): value is RelativeDuration {
  return (
    typeof value === 'object' && value !== null && typeof (value as RelativeDuration).percent === 'number'
  )
}
