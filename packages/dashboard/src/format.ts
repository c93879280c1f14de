// Pure formatting of figures for people. English number formatting, so the page reads the same everywhere.

const grouping = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 })

/** A whole count, grouped by thousands: `12,345`. */
export function formatCount(value: number): string {
  return grouping.format(value)
}

/** A rate with as many decimals as it needs to be readable: `0.25`, `12.5`, `1,234`. */
export function formatRate(value: number): string {
  if (!Number.isFinite(value)) return '–'
  const digits = value < 10 ? 2 : value < 100 ? 1 : 0
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })
}

/** A percentage: `7.5%`, `57%`. */
export function formatPercent(value: number): string {
  if (!Number.isFinite(value)) return '–'
  return `${value.toFixed(value < 10 ? 1 : 0)}%`
}

const pad = (value: number): string => String(value).padStart(2, '0')

/** A duration as a clock: `0:07`, `12:03`, `1:02:03`, `3 d 04:05:06`. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return '–'
  const total = Math.max(0, Math.floor(ms / 1000))
  const days = Math.floor(total / 86_400)
  const hours = Math.floor(total / 3_600) % 24
  const minutes = Math.floor(total / 60) % 60
  const seconds = total % 60
  if (days > 0) return `${days} d ${pad(hours)}:${pad(minutes)}:${pad(seconds)}`
  if (hours > 0) return `${hours}:${pad(minutes)}:${pad(seconds)}`
  return `${minutes}:${pad(seconds)}`
}

/** How long ago something happened: `now`, `4 s`, `3 min`, `2 h`. */
export function formatAge(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000))
  if (seconds < 1) return 'now'
  if (seconds < 120) return `${seconds} s`
  if (seconds < 7_200) return `${Math.round(seconds / 60)} min`
  return `${Math.round(seconds / 3_600)} h`
}

/**
 * Ms until the run ends at the current pace (the rate now, else the average one): `undefined` when the
 * number of items is unknown or nothing is being done, `0` when every item is done.
 */
export function estimateRemaining(
  done: number,
  itemsTotal: number | null,
  rate: number,
  averageRate: number,
): number | undefined {
  if (itemsTotal === null) return undefined
  const remaining = itemsTotal - done
  if (remaining <= 0) return 0
  const pace = rate > 0 ? rate : averageRate
  return pace > 0 ? (remaining / pace) * 1000 : undefined
}

/** Shortens `text` to `max` characters with an ellipsis. */
export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`
}
