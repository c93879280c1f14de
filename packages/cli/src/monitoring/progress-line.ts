import type { MonitorStatus } from '@pando/protocol'

/** Formats a duration in ms as `1:02:03` or `2:03`. */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000))
  const hours = Math.floor(total / 3600)
  const minutes = Math.floor((total % 3600) / 60)
  const seconds = String(total % 60).padStart(2, '0')
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}` : `${minutes}:${seconds}`
}

/** The progress line for a status: items done (of how many), rate, volunteers, ETA when known. */
export function progressText(status: MonitorStatus, networked: boolean): string {
  const { totals, run } = status
  const total = run.itemsTotal
  const parts = [total === null ? `${totals.done} done` : `${totals.done}/${total} done`]
  parts.push(`${Math.round(totals.rate)} items/s`)
  if (networked) parts.push(`${totals.volunteers} volunteer${totals.volunteers === 1 ? '' : 's'}`)
  if (total !== null && totals.averageRate > 0 && totals.done < total) {
    parts.push(`ETA ${formatDuration(((total - totals.done) / totals.averageRate) * 1000)}`)
  }
  parts.push(formatDuration(run.elapsedMs))
  return parts.join(' · ')
}

/**
 * On a terminal, a line that each status rewrites in place (`\r` and erase-line), which other messages
 * clear first so they do not mix; elsewhere (`--progress` into a file), one line per status.
 */
export class ProgressLine {
  readonly #stream: NodeJS.WritableStream
  readonly #inPlace: boolean
  #shown = false

  constructor(stream: NodeJS.WritableStream, inPlace: boolean) {
    this.#stream = stream
    this.#inPlace = inPlace
  }

  show(text: string): void {
    if (!this.#inPlace) {
      this.#stream.write(`pando: ${text}\n`)
      return
    }
    this.#stream.write(`\r\x1b[2Kpando: ${text}`)
    this.#shown = true
  }

  /** Erases the line, so that a message can be written on a clean one. */
  clear(): void {
    if (!this.#shown) return
    this.#stream.write('\r\x1b[2K')
    this.#shown = false
  }
}
