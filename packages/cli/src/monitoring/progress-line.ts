import type { MonitorStatus } from '@pando/protocol'
import type { StandingSnapshot } from '@pando/scheduler'
import { terminalText } from '../terminal-text.ts'
import { PEER_NAME_CHARS } from '../constants.ts'

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

/** Items per second for people: one decimal under 10, whole above. */
function formatRate(rate: number): string {
  return rate < 10 ? rate.toFixed(1) : String(Math.round(rate))
}

const plural = (count: number, word: string): string => `${count} ${word}${count === 1 ? '' : 's'}`

/**
 * The summary line at the end of a run, from its final status: items done, time, average rate, the most
 * volunteers connected at once (networked runs), items lent again after their volunteer left ("retries"),
 * and the module's failures (each failed attempt).
 */
export function summaryText(
  status: MonitorStatus,
  mostVolunteers: number | undefined,
  standings?: readonly StandingSnapshot[],
): string {
  const { totals, run } = status
  const parts = [
    `${plural(totals.done, 'item')} in ${formatDuration(run.elapsedMs)}`,
    `${formatRate(totals.averageRate)} items/s`,
  ]
  if (mostVolunteers !== undefined) parts.push(plural(mostVolunteers, 'volunteer'))
  parts.push(plural(totals.relent, 'retry').replace('retrys', 'retries'), plural(totals.failed, 'failure'))
  if (standings !== undefined) parts.push(standingText(standings))
  return parts.join(' · ')
}

/**
 * The volunteers' standing, for the summary of a run that replicates or spot-checks: how many had their
 * results judged, how many earned trust (`--replicas auto`), and which were excluded (`volunteers judged: 4,
 * trusted: 2, excluded: 'child 1' (outvoted 3 times)`).
 */
export function standingText(standings: readonly StandingSnapshot[]): string {
  const excluded = standings.filter((standing) => standing.excluded !== undefined)
  const named = excluded.map(
    ({ name, outvoted, caught }) =>
      `'${terminalText(name, PEER_NAME_CHARS)}' (${caught > 0 ? 'caught by a spot check' : `outvoted ${plural(outvoted, 'time')}`})`,
  )
  const trusted = standings.filter((standing) => standing.trusted).length
  return [
    `volunteers judged: ${String(standings.length)}`,
    ...(trusted > 0 ? [`trusted: ${String(trusted)}`] : []),
    `excluded: ${named.length === 0 ? 'none' : named.join(', ')}`,
  ].join(', ')
}

/**
 * On a terminal, a line that each status rewrites in place (`\r` and erase-line). Whatever else is written
 * to the terminal (a message on stderr, results on stdout when it is the same terminal) clears it first, so
 * nothing is glued to it, and it is drawn again once that is written. Elsewhere (`--progress` into a file),
 * one line per status.
 */
export class ProgressLine {
  readonly #stream: NodeJS.WritableStream
  readonly #inPlace: boolean
  /** The line's text now, from the last status: a line drawn again shows a volunteer that just joined. */
  readonly #render: () => string | undefined
  #shown = false
  #redraw: NodeJS.Immediate | undefined
  #stopped = false

  constructor(stream: NodeJS.WritableStream, inPlace: boolean, render: () => string | undefined) {
    this.#stream = stream
    this.#inPlace = inPlace
    this.#render = render
  }

  /** Writes the line (each status). */
  show(): void {
    if (this.#stopped) return
    if (this.#inPlace) this.#draw()
    else this.#stream.write(`pando: ${this.#render() ?? ''}\n`)
  }

  /**
   * Erases the line, so that something else can be written on a clean one; the line comes back at the next
   * turn of the event loop, after what was written.
   */
  clear(): void {
    if (!this.#shown) return
    this.#stream.write('\r\x1b[2K')
    this.#shown = false
    this.#redraw ??= setImmediate(() => {
      this.#redraw = undefined
      this.#draw()
    })
  }

  /** Erases the line for good: nothing is drawn after. */
  stop(): void {
    this.clear()
    clearImmediate(this.#redraw)
    this.#stopped = true
  }

  #draw(): void {
    const text = this.#render()
    if (this.#stopped || text === undefined) return
    this.#stream.write(`\r\x1b[2Kpando: ${text}`)
    this.#shown = true
  }
}
