import type { Job, Outcome } from '@pando/protocol'

/**
 * Jobs as they cross to the Worker: the ids in a typed array and the values as one JSON array. Copying an
 * array of small objects between threads (structured clone) cost the page more than a trivial item itself;
 * one array of numbers and one string cost a fraction of it.
 */
export interface PackedJobs {
  readonly ids: Float64Array
  /** `JSON.stringify` of the values, in the order of `ids`. */
  readonly values: string
}

/** Outcomes as they cross back from the Worker: successes packed like {@link PackedJobs}, failures as they are. */
export interface PackedOutcomes {
  readonly ids: Float64Array
  /** `JSON.stringify` of the results, in the order of `ids`. */
  readonly results: string
  readonly failures: readonly Outcome[]
}

export function packJobs(jobs: readonly Job[]): PackedJobs {
  return {
    ids: Float64Array.from(jobs, (job) => job.id),
    values: JSON.stringify(jobs.map((job) => job.value)),
  }
}

/**
 * The jobs of `packed`. @throws {TypeError} when it is not the shape `packJobs` makes (the Worker trusts its
 * page, but a module could post anything on its own scope)
 */
export function unpackJobs(packed: PackedJobs): Job[] {
  const values: unknown = JSON.parse(packed.values)
  if (!Array.isArray(values) || values.length !== packed.ids.length) throw new TypeError('malformed jobs')
  return Array.from(packed.ids, (id, i) => ({ id, value: String(values[i]) }))
}

/** Gathers outcomes as they settle, then packs them. */
export class OutcomePacker {
  #ids: number[] = []
  #results: string[] = []
  #failures: Outcome[] = []

  get size(): number {
    return this.#ids.length + this.#failures.length
  }

  add(outcome: Outcome): void {
    if (outcome.ok) {
      this.#ids.push(outcome.id)
      this.#results.push(outcome.result)
    } else {
      this.#failures.push(outcome)
    }
  }

  /** The outcomes added since the last `take`, packed. */
  take(): PackedOutcomes {
    const packed = {
      ids: Float64Array.from(this.#ids),
      results: JSON.stringify(this.#results),
      failures: this.#failures,
    }
    this.#ids = []
    this.#results = []
    this.#failures = []
    return packed
  }
}

/** The outcomes of `packed`, or none if it is not the shape `OutcomePacker` makes. */
export function unpackOutcomes(packed: unknown): Outcome[] {
  if (typeof packed !== 'object' || packed === null) return []
  const { ids, results, failures } = packed as Partial<Record<keyof PackedOutcomes, unknown>>
  if (!(ids instanceof Float64Array) || typeof results !== 'string' || !Array.isArray(failures)) return []
  let values: unknown
  try {
    values = JSON.parse(results)
  } catch {
    return []
  }
  if (!Array.isArray(values) || values.length !== ids.length) return []
  const outcomes: Outcome[] = Array.from(ids, (id, i) => ({ id, ok: true, result: String(values[i]) }))
  for (const failure of failures as Outcome[]) outcomes.push(failure)
  return outcomes
}
