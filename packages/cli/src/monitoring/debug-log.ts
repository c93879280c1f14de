import { format } from 'node:util'
import type { Job, Outcome } from '@pando/protocol'
import type { Lender, LendStreamOptions, SubStream } from '@pando/scheduler'
import createDebug from 'debug'
import pull from 'pull-stream'
import { writeAboveProgressLine } from '../exit.ts'

/**
 * `DEBUG=pando-computing:*` (the `debug` package's syntax: names separated by commas, `*` as a wildcard, a
 * leading `-` to exclude) turns on these namespaces, each a line per event on stderr, written above the
 * progress line so that nothing writes over it.
 */

/** The original Pando's namespace for the run's status every interval, kept so its users' scripts still work. */
export const MONITORING_NAMESPACE = 'pando-computing:monitoring'
/** The root's lending: items lent to each volunteer, outcomes back, recalls, drops. */
export const SCHEDULER_NAMESPACE = 'pando-computing:scheduler'
/** Volunteers joining and leaving, with their ids and the reasons the notices leave out. */
export const VOLUNTEERS_NAMESPACE = 'pando-computing:volunteers'
/**
 * Each volunteer's standing when the run replicates or spot-checks: a line when it changes (every reporting
 * interval at most), and the last ones at the end.
 */
export const TRUST_NAMESPACE = 'pando-computing:trust'

export const debugMonitoring = createDebug(MONITORING_NAMESPACE)
export const debugScheduler = createDebug(SCHEDULER_NAMESPACE)
export const debugVolunteers = createDebug(VOLUNTEERS_NAMESPACE)
export const debugTrust = createDebug(TRUST_NAMESPACE)

// One writer for every namespace: the progress line is cleared first, and comes back below.
createDebug.log = (...args: unknown[]): void => writeAboveProgressLine(`${format(...args)}\n`)

/**
 * `lender` with each sub-stream's lending told on the scheduler namespace when it is on: opened, items lent
 * (their ids), outcomes back (how many failed), recalls, drops, closes. The same lender when it is off.
 */
export function withSchedulerDebug<L extends Lender>(lender: L): L {
  if (!debugScheduler.enabled) return lender
  return {
    ...lender,
    lendStream: (options: LendStreamOptions = {}): SubStream => {
      const sub = lender.lendStream(optionsTold(options, () => name))
      const name = sub.name
      debugScheduler('%s opened (credit %d)', name, sub.credit)
      return subStreamTold(sub)
    },
  }
}

/** `options` with their drops and recalls told on the scheduler namespace, as the sub-stream `name()`. */
function optionsTold(options: LendStreamOptions, name: () => string): LendStreamOptions {
  return {
    ...options,
    ...(options.onDropped === undefined
      ? {}
      : {
          onDropped: (reason: Error) => {
            debugScheduler('%s dropped: %s', name(), reason.message)
            options.onDropped?.(reason)
          },
        }),
    ...(options.onRecall === undefined
      ? {}
      : {
          onRecall: (count: number) => {
            debugScheduler('%s asked to give back %d items', name(), count)
            options.onRecall?.(count)
          },
        }),
  }
}

/** `sub` with its lending told on the scheduler namespace: items lent, outcomes back, credit, give-backs, close. */
function subStreamTold(sub: SubStream): SubStream {
  const name = sub.name
  return {
    name,
    get credit() {
      return sub.credit
    },
    get held() {
      return sub.held
    },
    get closed() {
      return sub.closed
    },
    source: pull(
      sub.source,
      pull.through((jobs: Job[]) => debugScheduler('%s lent %d items: %s', name, jobs.length, idRange(jobs))),
    ),
    sink: (source: pull.Source<Outcome[]>) =>
      sub.sink(
        pull(
          source,
          pull.through(
            (outcomes: Outcome[]) => {
              const failed = outcomes.filter((outcome) => !outcome.ok).length
              debugScheduler('%s answered %d items (%d failed)', name, outcomes.length, failed)
            },
            () => debugScheduler('%s closed, holding %d items', name, sub.held),
          ),
        ),
      ),
    close: (reason?: Error) => sub.close(reason),
    tabsChanged: () => sub.tabsChanged(),
    setCredit: (credit: number) => {
      debugScheduler('%s credit %d', name, credit)
      sub.setCredit(credit)
    },
    giveBack: (ids: readonly number[]) => {
      debugScheduler('%s gave back %d items', name, ids.length)
      return sub.giveBack(ids)
    },
  }
}

/** The ids of a batch, short: `4` or `4..11`, else the first and the count. */
function idRange(jobs: readonly Job[]): string {
  const first = jobs[0]?.id
  const last = jobs.at(-1)?.id
  if (first === undefined || last === undefined) return ''
  if (first === last) return String(first)
  return last - first + 1 === jobs.length ? `${first}..${last}` : `${first}.. (${jobs.length})`
}
