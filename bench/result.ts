/** A figure as printed and stored: `undefined` is "n/a" (not measured, or not measurable yet). */
export type Figure = number | string | undefined

/** A target of the table, checked against a figure: `met` is `undefined` when it cannot be told. */
export interface TargetCheck {
  readonly text: string
  readonly met: boolean | undefined
  /** Why it cannot be told, or what part is unknown. */
  readonly note?: string
}

/** One column of a scenario's table: `key` in each row's `figures`, shown with `digits` decimals. */
export interface Column {
  readonly key: string
  readonly title: string
  readonly digits?: number
}

/** One configuration of a scenario: the medians of its runs, and every run's raw figures. */
export interface Row {
  readonly label: string
  readonly config: object
  readonly figures: Readonly<Record<string, Figure>>
  readonly target?: TargetCheck
  readonly runs: readonly RunRecord[]
}

/** One run: its raw figures, or why it failed. */
export type RunRecord = Readonly<Record<string, unknown>> & { readonly error?: string }

export interface ScenarioResult {
  readonly name: string
  /** What it measures, in one sentence. */
  readonly measures: string
  readonly columns: readonly Column[]
  readonly rows: readonly Row[]
  /** What the reader must know: reduced sizes, what is n/a and why. */
  readonly notes: readonly string[]
  /** Set when the scenario itself failed before measuring anything. */
  readonly error?: string
}

/** The message of whatever was thrown. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

/**
 * Runs `measure` for every configuration, `runs` times, run-major (each configuration once, then each again…)
 * so that a change in the machine's load spreads over all of them. A failed run is kept with its error.
 */
export async function measureAll<C, R extends RunRecord>(
  configs: readonly C[],
  runs: number,
  measure: (config: C, run: number) => Promise<R>,
  log: (config: C, run: number, record: RunRecord) => void,
): Promise<Map<C, (R | RunRecord)[]>> {
  const records = new Map<C, (R | RunRecord)[]>(configs.map((config) => [config, []]))
  for (let run = 0; run < runs; run++) {
    for (const config of configs) {
      let record: R | RunRecord
      try {
        record = await measure(config, run)
      } catch (error) {
        record = { error: errorMessage(error) }
      }
      records.get(config)?.push(record)
      log(config, run, record)
    }
  }
  return records
}

/** The records that did not fail. */
export function succeeded<R extends RunRecord>(records: readonly (R | RunRecord)[]): R[] {
  return records.filter((record): record is R => record.error === undefined)
}
