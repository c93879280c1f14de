import { treeOfReports, type MonitorStatus } from '@pando/protocol'
import type { Lender } from '@pando/scheduler'
import type { ReportBoard } from './report-board.ts'

/** A report older than this many intervals is taken for a volunteer that left. */
const STALE_INTERVALS = 3

export interface RunMonitorOptions {
  readonly lender: Lender
  readonly board: ReportBoard
  /** The volunteers connected now, from their joins and leaves; else those that reported lately. */
  readonly volunteerCount?: () => number
  /** How often the status is made, in ms. */
  readonly intervalMs: number
  /** The number of items when known from the start (items given as arguments). */
  readonly itemsTotal?: number
  /** Called with each status. */
  readonly onStatus: (status: MonitorStatus) => void
  readonly now?: () => number
}

export interface RunMonitor {
  /** The status now. */
  status(): MonitorStatus
  /** Stops the periodic statuses, after a last one. Idempotent. */
  stop(): void
}

/**
 * Makes the run's status every interval from the lender's counters and the volunteers' reports: what the
 * dashboard shows, the progress line and the `DEBUG=pando-computing:monitoring` output.
 */
export function startRunMonitor(options: RunMonitorOptions): RunMonitor {
  const now = options.now ?? Date.now
  const startedAt = now()
  let previous = { at: startedAt, done: 0 }
  const status = (): MonitorStatus => {
    const at = now()
    const state = options.lender.state()
    const volunteers = options.board.current(at, STALE_INTERVALS * options.intervalMs)
    const elapsedMs = at - startedAt
    const since = at - previous.at
    return {
      type: 'status',
      timestamp: at,
      run: { startedAt, elapsedMs, itemsTotal: options.itemsTotal ?? (state.inputEnded ? state.read : null) },
      totals: {
        read: state.read,
        done: state.emitted,
        inFlight: state.lent,
        relent: state.relent,
        failed: state.failures,
        volunteers: options.volunteerCount?.() ?? volunteers.length,
        rate: since > 0 ? ((state.emitted - previous.done) * 1000) / since : 0,
        averageRate: elapsedMs > 0 ? (state.emitted * 1000) / elapsedMs : 0,
      },
      volunteers,
      tree: treeOfReports(volunteers),
    }
  }
  const tick = (): void => {
    const current = status()
    previous = { at: current.timestamp, done: current.totals.done }
    options.onStatus(current)
  }
  const timer = setInterval(tick, options.intervalMs)
  timer.unref()
  let stopped = false
  return {
    status,
    stop() {
      if (stopped) return
      stopped = true
      clearInterval(timer)
      tick()
    },
  }
}
