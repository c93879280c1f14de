import { toOriginalMonitoringStatus, type MonitorStatus } from '@pando/protocol'
import type { Lender } from '@pando/scheduler'
import { configureMessages } from '../exit.ts'
import { isDebugEnabled, MONITORING_NAMESPACE } from './debug-namespaces.ts'
import { ProgressLine, progressText } from './progress-line.ts'
import { ReportBoard } from './report-board.ts'
import { startRunMonitor, type RunMonitor } from './run-monitor.ts'
import { terminalJson } from '../terminal-text.ts'

export interface RunReportingOptions {
  readonly lender: Lender
  /** Where volunteers' reports go; a local run has none. */
  readonly board?: ReportBoard
  readonly intervalMs: number
  /** The number of items, when known from the start. */
  readonly itemsTotal?: number
  /** Whether volunteers take part (the progress line counts them). */
  readonly networked: boolean
  /** `--progress`: the line even when stderr is not a terminal. */
  readonly progress: boolean
  /** `--quiet`: no line, no notices. */
  readonly quiet: boolean
  /** Sends each status to the dashboards. */
  readonly broadcast?: (status: MonitorStatus) => void
  readonly stderr?: NodeJS.WriteStream
  readonly env?: NodeJS.ProcessEnv
}

/**
 * Everything a run tells about itself as it goes, every reporting interval: the status to the dashboards,
 * the progress line on stderr (on a terminal, or with `--progress`), and the original's monitoring JSON with
 * `DEBUG=pando-computing:monitoring`.
 */
export function startRunReporting(options: RunReportingOptions): RunMonitor {
  const stderr = options.stderr ?? process.stderr
  const onTerminal = stderr.isTTY
  const line =
    !options.quiet && (options.progress || onTerminal) ? new ProgressLine(stderr, onTerminal) : undefined
  configureMessages({ ...(line === undefined ? {} : { progressLine: line }), quiet: options.quiet })
  const debug = isDebugEnabled(MONITORING_NAMESPACE, (options.env ?? process.env).DEBUG)
  const monitor = startRunMonitor({
    lender: options.lender,
    board: options.board ?? new ReportBoard(),
    intervalMs: options.intervalMs,
    ...(options.itemsTotal === undefined ? {} : { itemsTotal: options.itemsTotal }),
    onStatus: (status) => {
      options.broadcast?.(status)
      if (debug) {
        line?.clear()
        // The `debug` package's format when stderr is not a terminal, which the original's logs have.
        // Volunteers' names are in it: JSON escapes the C0 controls, terminalJson the rest.
        const json = terminalJson(JSON.stringify(toOriginalMonitoringStatus(status)))
        stderr.write(`${new Date(status.timestamp).toISOString()} ${MONITORING_NAMESPACE} ${json}\n`)
      }
      line?.show(progressText(status, options.networked))
    },
  })
  return {
    status: () => monitor.status(),
    stop: () => {
      monitor.stop()
      line?.clear()
      configureMessages({ quiet: options.quiet })
    },
  }
}
