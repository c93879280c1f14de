import type { Job, Outcome } from './job.ts'
import { ProtocolError } from './errors.ts'
import { browserMark } from './browser-mark.ts'
import type { BrowserMarkMessage } from './tree-messages.ts'
import { MAX_AVOIDED_TABS, MAX_MONITORED_ID_LENGTH } from './constants.ts'

/**
 * Which tab computed each outcome, and which tabs must not compute a job, as they travel on tree links
 * (scheduler SPEC 53 and 56: a volunteer is a tab, across the whole tree). An `outcomes` message names the
 * computing tab of its successes in runs (`by: [[tab, count], …]`, over `ids` in order: a batch from one
 * Worker is one run) and of each failure in the failure (`by`); a `jobs` message lists, for the copies of
 * replicated items, the tabs that answered the item's other copies (`avoid: [[index, [tab, …]], …]`, by the
 * job's index in `ids`). Both are claims of the sender: a parent takes a `by` only when it names a tab its
 * child's reports put in that child's subtree (`ChildLending`).
 */

/** Runs of the computing tabs of `outcomes`' successes, in order; `undefined` when none names a tab. */
export function computedByOnWire(outcomes: readonly Outcome[]): [string, number][] | undefined {
  const runs: [string, number][] = []
  let named = false
  for (const outcome of outcomes) {
    if (!outcome.ok) continue
    const by = outcome.by ?? ''
    if (by !== '') named = true
    const last = runs[runs.length - 1]
    if (last !== undefined && last[0] === by) last[1]++
    else runs.push([by, 1])
  }
  return named ? runs : undefined
}

/** The `avoid` entries of `jobs` on the wire; `undefined` when no job avoids a tab. */
export function avoidOnWire(jobs: readonly Job[]): [number, readonly string[]][] | undefined {
  let entries: [number, readonly string[]][] | undefined
  jobs.forEach((job, index) => {
    if (job.avoid !== undefined && job.avoid.length > 0) (entries ??= []).push([index, job.avoid])
  })
  return entries
}

/** A tab id from a message: a non-empty string of at most `MAX_MONITORED_ID_LENGTH`. @throws {ProtocolError} */
function tabId(value: unknown, what: string): string {
  if (typeof value !== 'string' || value.length > MAX_MONITORED_ID_LENGTH)
    throw new ProtocolError(`malformed ${what}`)
  return value
}

/**
 * `outcomes` (parsed from `message` by `outcomesFromWire`: its successes first, then its failures) with the
 * tabs the message names. @throws {ProtocolError} when the runs do not cover the successes exactly
 */
export function withComputedBy(outcomes: Outcome[], message: Record<string, unknown>): Outcome[] {
  const runs = message.by
  const successes = Array.isArray(message.ids) ? message.ids.length : 0
  let at = 0
  if (runs !== undefined) {
    if (!Array.isArray(runs) || runs.length > successes) throw new ProtocolError('malformed outcomes by')
    for (const run of runs as unknown[]) {
      if (!Array.isArray(run) || run.length !== 2) throw new ProtocolError('malformed outcomes by')
      const by = tabId(run[0], 'outcomes by')
      const count = run[1] as unknown
      if (typeof count !== 'number' || !Number.isSafeInteger(count) || count < 1 || at + count > successes)
        throw new ProtocolError('malformed outcomes by')
      for (const end = at + count; at < end; at++)
        if (by !== '') outcomes[at] = { ...(outcomes[at] as Outcome), by }
    }
    if (at !== successes) throw new ProtocolError('malformed outcomes by')
  }
  const failures = Array.isArray(message.failures) ? (message.failures as unknown[]) : []
  failures.forEach((failure, i) => {
    const by = (failure as Record<string, unknown> | null)?.by
    if (by === undefined) return
    outcomes[successes + i] = { ...(outcomes[successes + i] as Outcome), by: tabId(by, 'failure by') }
  })
  return outcomes
}

/** `jobs` (parsed from `message` by `jobsFromWire`) with the tabs each must avoid. @throws {ProtocolError} */
export function withAvoid(jobs: Job[], message: Record<string, unknown>): Job[] {
  const entries = message.avoid
  if (entries === undefined) return jobs
  if (!Array.isArray(entries) || entries.length > jobs.length) throw new ProtocolError('malformed jobs avoid')
  for (const entry of entries as unknown[]) {
    if (!Array.isArray(entry) || entry.length !== 2) throw new ProtocolError('malformed jobs avoid')
    const [index, tabs] = entry as [unknown, unknown]
    const job = typeof index === 'number' && Number.isSafeInteger(index) ? jobs[index] : undefined
    if (job === undefined || !Array.isArray(tabs) || tabs.length > MAX_AVOIDED_TABS)
      throw new ProtocolError('malformed jobs avoid')
    jobs[index as number] = { ...job, avoid: tabs.map((tab) => tabId(tab, 'jobs avoid')) }
  }
  return jobs
}

/** A `browser-mark` message received on a tree link. @throws {ProtocolError} when malformed */
export function browserMarkFromWire(message: Record<string, unknown>): BrowserMarkMessage {
  const id = tabId(message.id, 'browser-mark id')
  if (id === '') throw new ProtocolError('malformed browser-mark id')
  if (message.mark === undefined) return { type: 'browser-mark', id }
  return { type: 'browser-mark', id, mark: browserMark(message.mark, 'the browser-mark') }
}
