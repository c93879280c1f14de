import { toOriginalMonitoringStatus, type MonitorStatus } from '@pando/protocol'
import type { Lender, StandingSnapshot } from '@pando/scheduler'
import { configureMessages, printMessage } from '../exit.ts'
import { debugMonitoring } from './debug-log.ts'
import { ProgressLine, progressText, summaryText } from './progress-line.ts'
import { ReportBoard } from './report-board.ts'
import { startRunMonitor, type RunMonitor } from './run-monitor.ts'
import { standingsDebugLog, toVolunteerStanding } from './volunteer-standings.ts'
import type { VolunteerRoster } from './volunteer-roster.ts'
import { terminalJson } from '../terminal-text.ts'

export interface RunReportingOptions {
  readonly lender: Lender
  /**
   * The volunteers' standing, when the run replicates or spot-checks: for the dashboards, the summary and
   * `DEBUG=pando-computing:trust`.
   */
  readonly standings?: () => readonly StandingSnapshot[]
  /** Where volunteers' reports go; a local run has none. */
  readonly board?: ReportBoard
  readonly intervalMs: number
  /** The number of items, when known from the start. */
  readonly itemsTotal?: number
  /** The volunteers connected (the progress line, the summary and the dashboards count them); a local run has none. */
  readonly roster?: VolunteerRoster
  /**
   * `--progress` (`true`): the line and the summary even when stderr is not a terminal; `--no-progress`
   * (`false`): neither; `undefined`: both when stderr is a terminal.
   */
  readonly progress: boolean | undefined
  /** `--quiet`: no line, no notices. */
  readonly quiet: boolean
  /** Sends each status to the dashboards. */
  readonly broadcast?: (status: MonitorStatus) => void
  readonly stderr?: NodeJS.WriteStream
  /** Where the results go: when it is a terminal, the line is cleared before each write. */
  readonly stdout?: NodeJS.WriteStream
}

/**
 * Everything a run tells about itself as it goes, every reporting interval: the status to the dashboards,
 * the progress line on stderr (on a terminal, or with `--progress`; never with `--no-progress` or
 * `--quiet`), and the original's monitoring JSON with `DEBUG=pando-computing:monitoring` (see `debug-log.ts`). At the end, the
 * last status to the dashboards and, where the progress line was shown, the summary line.
 */
export function startRunReporting(options: RunReportingOptions): RunMonitor {
  const stderr = options.stderr ?? process.stderr
  const stdout = options.stdout ?? process.stdout
  const onTerminal = stderr.isTTY
  const shown = !options.quiet && (options.progress ?? onTerminal)
  const roster = options.roster
  let last: MonitorStatus | undefined
  const text = (): string | undefined =>
    last === undefined
      ? undefined
      : progressText(
          roster === undefined ? last : { ...last, totals: { ...last.totals, volunteers: roster.connected } },
          roster !== undefined,
        )
  const line = shown ? new ProgressLine(stderr, onTerminal, text) : undefined
  const restoreStdout =
    line !== undefined && onTerminal && stdout.isTTY ? clearBeforeWrites(stdout, line) : undefined
  configureMessages({ ...(line === undefined ? {} : { progressLine: line }), quiet: options.quiet })
  const standings = options.standings
  const logStandings = standingsDebugLog()
  const monitor = startRunMonitor({
    lender: options.lender,
    ...(standings === undefined ? {} : { standings: () => standings().map(toVolunteerStanding) }),
    board: options.board ?? new ReportBoard(),
    ...(options.roster === undefined ? {} : { volunteerCount: () => options.roster?.connected ?? 0 }),
    intervalMs: options.intervalMs,
    ...(options.itemsTotal === undefined ? {} : { itemsTotal: options.itemsTotal }),
    onStatus: (status) => {
      options.broadcast?.(status)
      if (debugMonitoring.enabled) {
        // Volunteers' names are in it: JSON escapes the C0 controls, terminalJson the rest.
        debugMonitoring('%s', terminalJson(JSON.stringify(toOriginalMonitoringStatus(status))))
      }
      if (status.standings !== undefined) logStandings(status.standings)
      last = status
      line?.show()
    },
  })
  let stopped = false
  return {
    status: () => monitor.status(),
    stop: () => {
      if (stopped) return
      stopped = true
      // The line first: the last status is for the dashboards and the summary, not drawn.
      line?.stop()
      monitor.stop()
      restoreStdout?.()
      configureMessages({ quiet: options.quiet })
      if (line !== undefined) printMessage(summaryText(monitor.status(), roster?.most, standings?.()))
    },
  }
}

/**
 * Makes every write to `stdout` (a terminal, the one the line is on) clear the line first, so that no result
 * is glued to it. Returns what undoes it.
 */
function clearBeforeWrites(stdout: NodeJS.WriteStream, line: ProgressLine): () => void {
  const write = stdout.write
  stdout.write = function (this: NodeJS.WriteStream, ...args: Parameters<typeof write>) {
    line.clear()
    return write.apply(this, args)
  } as typeof write
  return () => {
    stdout.write = write
  }
}
