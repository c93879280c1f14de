import type { Settled } from '@pando/scheduler'
import type { Source, Through } from 'pull-stream'
import { UsageError } from './errors.ts'

/**
 * `--halt WHEN,WHY`, as GNU parallel's: stop the run early once enough items failed, succeeded or were done.
 * - WHEN: `soon` reads no new item and finishes (and writes) those already read; `now` writes nothing after
 *   the item that met the condition.
 * - WHY: `fail=N`, `success=N`, `done=N` (N items), or `…=N%` (N % of all the items when their number is
 *   known, ITEMS on the command line; else of the items read so far, all of them once the input has ended).
 * Items are counted as they are written, in input order, so the same input halts at the same item.
 */
export interface HaltPolicy {
  readonly when: 'soon' | 'now'
  readonly why: 'fail' | 'success' | 'done'
  /** `fail=N`: the number of items; undefined with a percentage. */
  readonly count?: number
  /** `fail=N%`: the percentage, 1 to 100; undefined with a count. */
  readonly percent?: number
  /** The value as typed, for messages. */
  readonly text: string
}

/** GNU parallel's short forms of `--halt`. */
const SHORT_FORMS: Readonly<Record<string, string>> = {
  '0': 'never',
  '1': 'soon,fail=1',
  '2': 'now,fail=1',
  '-1': 'soon,success=1',
  '-2': 'now,success=1',
}

/**
 * Reads `--halt`: `never` (the default), `WHEN,WHY=N`, `WHEN,WHY=N%`, or a short form (`0`, `1`, `2`, `-1`,
 * `-2`, `N%` for `soon,fail=N%`). Returns undefined for never.
 * @throws {UsageError} for anything else
 */
export function parseHaltPolicy(text: string): HaltPolicy | undefined {
  const long = SHORT_FORMS[text] ?? (/^\d+%$/.test(text) ? `soon,fail=${text}` : text)
  if (long === 'never') return undefined
  const match = /^(soon|now),(fail|success|done)=(\d+)(%?)$/.exec(long)
  const amount = Number(match?.[3])
  const percent = match?.[4] === '%'
  if (match === null || amount < 1 || (percent && amount > 100)) {
    throw new UsageError(
      `--halt ${JSON.stringify(text)} is not a halt condition: write WHEN,WHY=N with WHEN soon or now and ` +
        'WHY fail, success or done, N a count of 1 or more or a percentage from 1% to 100% (e.g. --halt ' +
        "soon,fail=3 or --halt now,fail=10%), or never (see 'pando --help')",
    )
  }
  return {
    when: match[1] as HaltPolicy['when'],
    why: match[2] as HaltPolicy['why'],
    ...(percent ? { percent: amount } : { count: amount }),
    text,
  }
}

/**
 * `--halt …,fail=…` counts the items `--on-error skip` or `mark` let through: with `abort` (the default) the
 * first failed item already stops the run, as `fail=1` asks (so that one is accepted).
 * @throws {UsageError} for another fail condition with `--on-error abort`
 */
export function checkHaltFits(policy: HaltPolicy | undefined, onError: string): void {
  if (policy?.why !== 'fail' || policy.count === 1 || onError !== 'abort') return
  throw new UsageError(
    `--halt ${policy.text} counts failed items, but --on-error abort stops at the first one: add --on-error ` +
      'skip or --on-error mark',
  )
}

/** How a halted run stopped: what met the condition. */
export interface Halted {
  readonly policy: HaltPolicy
  /** The items counted by the condition (failed, succeeded or done) when it was met. */
  readonly counted: number
  /** What a percentage is of: all the items, or those read when it was met. */
  readonly of: number
}

/** Watches a run for its `--halt` condition: counts the items read and written, and stops the run. */
export class HaltWatch {
  readonly #policy: HaltPolicy
  /** The number of items, when known before they are read (ITEMS). */
  readonly #total: number | undefined
  #read = 0
  #written = 0
  #failed = 0
  /** `soon`: no new item is read. */
  #stopReading = false
  #halted: Halted | undefined

  constructor(policy: HaltPolicy, total?: number) {
    this.#policy = policy
    this.#total = total
  }

  /** What met the condition, once it was met. */
  halted(): Halted | undefined {
    return this.#halted
  }

  /** The run's items, counted; once halted, the next read ends them (and closes the input). */
  items(source: Source<string>): Source<string> {
    let closed = false
    const close = (cb: (end: true) => void): void => {
      if (closed) return cb(true)
      closed = true
      source(true, () => cb(true))
    }
    return (abort, cb) => {
      if (abort) return source(abort, cb)
      if (this.#stopReading) return close(cb)
      source(null, (end, item) => {
        if (end) return cb(end)
        // A read that was waiting (on stdin) when the run halted brings an item that must not start.
        if (this.#stopReading) return close(cb)
        this.#read++
        cb(null, item)
      })
    }
  }

  /** The settled items on their way out, in order: `now` ends them after the item that met the condition. */
  results(): Through<Settled, Settled> {
    return (read) => {
      let ended = false
      return (abort, cb) => {
        if (ended && !abort) {
          read(true, () => undefined)
          return cb(true)
        }
        read(abort, (end, settled) => {
          if (end || settled === undefined) return cb(end ?? true)
          if (this.#count(settled) && this.#policy.when === 'now') ended = true
          cb(null, settled)
        })
      }
    }
  }

  /** Counts an item written; true when it meets the condition (the first time). */
  #count(settled: Settled): boolean {
    this.#written++
    if (!settled.ok) this.#failed++
    if (this.#halted !== undefined) return false
    const counted = this.#counted()
    const of = this.#total ?? this.#read
    const needed = this.#policy.count ?? Math.max(1, Math.ceil(((this.#policy.percent ?? 100) * of) / 100))
    if (counted < needed) return false
    this.#halted = { policy: this.#policy, counted, of }
    this.#stopReading = true
    return true
  }

  #counted(): number {
    switch (this.#policy.why) {
      case 'fail':
        return this.#failed
      case 'success':
        return this.#written - this.#failed
      case 'done':
        return this.#written
    }
  }
}

/** The message of a halted run, for stderr: `halted by --halt soon,fail=2: 2 items failed; …`. */
export function haltedMessage(halted: Halted): string {
  const { policy, counted, of } = halted
  const items = counted === 1 ? '1 item' : `${counted} items`
  const what = { fail: 'failed', success: 'succeeded', done: 'were done' }[policy.why]
  const share = policy.percent === undefined ? '' : ` (${Math.round((100 * counted) / of)}% of ${of})`
  const then =
    policy.when === 'soon'
      ? 'the items already read were finished and written, and no new item was read'
      : 'no result after the last of them was written'
  return `halted by --halt ${policy.text}: ${items} ${what === 'were done' && counted === 1 ? 'was done' : what}${share}; ${then}`
}
