import {
  STALE_REPORT_INTERVALS,
  treeOfReports,
  type MonitorStatus,
  type VolunteerStanding,
} from '@pando/protocol'
import type { Lender } from '@pando/scheduler'
import type { ReportBoard } from './report-board.ts'
import { RATE_INTERVALS } from '../constants.ts'

export interface RunMonitorOptions {
  readonly lender: Lender
  readonly board: ReportBoard
  /** The volunteers connected now, from their joins and leaves; else those that reported lately. */
  readonly volunteerCount?: () => number
  /** How often the status is made, in ms. */
  readonly intervalMs: number
  /** The number of items when known from the start (items given as arguments). */
  readonly itemsTotal?: number
  /** Each volunteer's standing, when the run replicates or spot-checks. */
  readonly standings?: () => readonly VolunteerStanding[]
  /** Called with each status. */
  readonly onStatus: (status: MonitorStatus) => void
  readonly now?: () => number
}

export interface RunMonitor {
  /**
   * The status now (`final`: at the end of the run, every item settled; see `ReportBoard.final`); once
   * stopped, the last one, final, whatever is asked.
   */
  status(final?: boolean): MonitorStatus
  /** Stops the periodic statuses, after a last one, final (the run is over). Idempotent. */
  stop(): void
}

/**
 * Makes the run's status every interval from the lender's counters and the volunteers' reports: what the
 * dashboard shows, the progress line and the `DEBUG=pando-computing:monitoring` output.
 */
export function startRunMonitor(options: RunMonitorOptions): RunMonitor {
  const now = options.now ?? Date.now
  const startedAt = now()
  /** The done count at each recent status, oldest first, for the rate now. */
  const samples: { at: number; done: number }[] = [{ at: startedAt, done: 0 }]
  const rateNow = (at: number, done: number): number => {
    const since = samples.find((sample) => at - sample.at <= RATE_INTERVALS * options.intervalMs + 1) ?? {
      at,
      done,
    }
    return at > since.at ? ((done - since.done) * 1000) / (at - since.at) : 0
  }
  const status = (final = false): MonitorStatus => {
    const at = now()
    const state = options.lender.state()
    const maxAgeMs = STALE_REPORT_INTERVALS * options.intervalMs
    const volunteers = final ? options.board.final(at, maxAgeMs) : options.board.current(at, maxAgeMs)
    const elapsedMs = at - startedAt
    return {
      type: 'status',
      timestamp: at,
      run: {
        startedAt,
        elapsedMs,
        itemsTotal: options.itemsTotal ?? (state.inputEnded ? state.read : null),
        ...(final ? { ended: true as const } : {}),
      },
      totals: {
        read: state.read,
        done: state.emitted,
        inFlight: state.lent,
        relent: state.relent,
        failed: state.failures,
        volunteers: options.volunteerCount?.() ?? volunteers.length,
        rate: rateNow(at, state.emitted),
        averageRate: elapsedMs > 0 ? (state.emitted * 1000) / elapsedMs : 0,
      },
      volunteers,
      tree: treeOfReports(volunteers),
      ...(options.standings === undefined ? {} : { standings: options.standings() }),
    }
  }
  const tick = (final = false): MonitorStatus => {
    const current = status(final)
    samples.push({ at: current.timestamp, done: current.totals.done })
    while (samples.length > RATE_INTERVALS + 2) samples.shift()
    options.onStatus(current)
    return current
  }
  const timer = setInterval(tick, options.intervalMs)
  timer.unref()
  let last: MonitorStatus | undefined
  return {
    status: (final) => last ?? status(final),
    stop() {
      if (last !== undefined) return
      clearInterval(timer)
      last = tick(true)
    },
  }
}
