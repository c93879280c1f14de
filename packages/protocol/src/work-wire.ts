import { ProtocolError } from './errors.ts'
import type { Job, Outcome, SerializedError } from './job.ts'
import { avoidOnWire, computedByOnWire } from './tab-attribution.ts'

/**
 * A `jobs` message as it travels (tree links and volunteer WebSockets alike): the ids and the values in two
 * arrays. Half the size of an array of `{ id, value }` objects, and a third of the time to parse, which
 * counted for much of a tab's work with trivial items.
 */
export interface JobsOnWire {
  readonly type: 'jobs'
  readonly ids: readonly number[]
  readonly values: readonly string[]
  /** On tree links, the tabs some of the jobs must avoid (`tab-attribution.ts`). */
  readonly avoid?: readonly (readonly [number, readonly string[]])[]
}

/** An `outcomes` message as it travels: the successes in two arrays, the failures as outcomes. */
export interface OutcomesOnWire {
  readonly type: 'outcomes'
  readonly ids: readonly number[]
  readonly results: readonly string[]
  readonly failures: readonly Extract<Outcome, { ok: false }>[]
  /** The sender's own time per item, when it gives one (see `msPerItemFromWire`). */
  readonly msPerItem?: number
  /** On tree links, the tabs that computed the successes, in runs (`tab-attribution.ts`). */
  readonly by?: readonly (readonly [string, number])[]
}

/** A message with jobs or outcomes, as the code handles it. */
type WorkMessage = { readonly type: 'jobs'; readonly jobs: readonly Job[] } | OutcomesMessage
type OutcomesMessage = {
  readonly type: 'outcomes'
  readonly outcomes: readonly Outcome[]
  readonly msPerItem?: number
}

/**
 * Room for the envelope around the items of a `jobs` or `outcomes` message on the wire, in characters,
 * rounded up: `{"type":"outcomes","ids":[],"results":[],"failures":[]}` is 56, with a `"msPerItem"` of up to
 * 24 characters 90, `{"type":"jobs",...}` less. What packs items into a message keeps them within its
 * limit less this.
 */
export const WIRE_ENVELOPE_CHARS = 96 // eslint-disable-line no-restricted-syntax -- the wire format's, not a tunable

/** Extra characters per job or successful outcome on the wire: an id of up to 16 digits, quotes, commas. */
export const WIRE_ITEM_FRAME_CHARS = 20 // eslint-disable-line no-restricted-syntax -- the wire format's, not a tunable

function jobsOnWire(jobs: readonly Job[]): JobsOnWire {
  const ids = jobs.map((job) => job.id)
  const values = jobs.map((job) => job.value)
  const avoid = avoidOnWire(jobs)
  return avoid === undefined ? { type: 'jobs', ids, values } : { type: 'jobs', ids, values, avoid }
}

function outcomesOnWire(outcomes: readonly Outcome[], msPerItem: number | undefined): OutcomesOnWire {
  const ids: number[] = []
  const results: string[] = []
  const failures: Extract<Outcome, { ok: false }>[] = []
  for (const outcome of outcomes) {
    if (outcome.ok) {
      ids.push(outcome.id)
      results.push(outcome.result)
    } else {
      failures.push(outcome)
    }
  }
  const by = computedByOnWire(outcomes)
  return {
    type: 'outcomes',
    ids,
    results,
    failures,
    ...(msPerItem === undefined ? {} : { msPerItem }),
    ...(by === undefined ? {} : { by }),
  }
}

/** `message` as it goes on the wire: jobs and outcomes in columns, any other message as it is. */
export function toWire<M extends { readonly type: string }>(message: M): unknown {
  const work = message as unknown as WorkMessage
  if (work.type === 'jobs') return jobsOnWire(work.jobs)
  if (work.type === 'outcomes') return outcomesOnWire(work.outcomes, work.msPerItem)
  return message
}

function isId(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0
}

/** Checks two parallel arrays: ids, and strings of the same length. @throws {ProtocolError} */
function columns(ids: unknown, strings: unknown, what: string): [number[], string[]] {
  if (!Array.isArray(ids) || !Array.isArray(strings) || ids.length !== strings.length) {
    throw new ProtocolError(`malformed ${what}`)
  }
  for (let i = 0; i < ids.length; i++) {
    if (!isId(ids[i]) || typeof strings[i] !== 'string') throw new ProtocolError(`malformed ${what}`)
  }
  return [ids as number[], strings as string[]]
}

function checkError(value: unknown): SerializedError {
  const error = value as Record<string, unknown> | null
  if (typeof error !== 'object' || error === null || typeof error.name !== 'string') {
    throw new ProtocolError('malformed error')
  }
  if (typeof error.message !== 'string') throw new ProtocolError('malformed error')
  return typeof error.stack === 'string'
    ? { name: error.name, message: error.message, stack: error.stack }
    : { name: error.name, message: error.message }
}

/** The jobs of a `jobs` message received (parsed from JSON). @throws {ProtocolError} when malformed */
export function jobsFromWire(message: Record<string, unknown>): Job[] {
  const [ids, values] = columns(message.ids, message.values, 'jobs')
  return ids.map((id, i) => ({ id, value: values[i] as string }))
}

/** The outcomes of an `outcomes` message received (parsed from JSON). @throws {ProtocolError} */
export function outcomesFromWire(message: Record<string, unknown>): Outcome[] {
  const [ids, results] = columns(message.ids, message.results, 'outcomes')
  if (!Array.isArray(message.failures)) throw new ProtocolError('malformed outcomes')
  const outcomes: Outcome[] = ids.map((id, i) => ({ id, ok: true, result: results[i] as string }))
  for (const failure of message.failures as unknown[]) {
    const { id, ok, error } = (failure ?? {}) as Record<string, unknown>
    if (!isId(id) || ok !== false) throw new ProtocolError('malformed outcomes')
    outcomes.push({ id, ok: false, error: checkError(error) })
  }
  return outcomes
}
