import { seqLines } from '../harness/pando-process.ts'
import { MODULES, formatNumber, type BenchContext } from './context.ts'
import { measureAll, succeeded, type Row } from './result.ts'
import { medianOf } from './stats.ts'
import { placementLabel, streamItems, type Placement, type StreamRecord } from './stream.ts'

/**
 * Collatz inputs of 90 digits take about 10 ms each in Node on these machines (bignumber.js, about 2,000
 * steps): items are 10^89 + i.
 */
const FIRST_INPUT = 10n ** 89n

/** Collatz input `i`, of about 10 ms. */
const collatzInput = (i: number): string => String(FIRST_INPUT + BigInt(i))

/** `count` Collatz inputs of about 10 ms each. */
export const collatzInputList = (count: number): string[] =>
  Array.from({ length: count }, (_, i) => collatzInput(i))

/** `count` Collatz inputs of about 10 ms each, one per line. */
const collatzInputs = (count: number): string => seqLines(0, count, collatzInput)

/** What a run streams: a module, and its `count` items, one per line. */
export interface BenchItems {
  readonly module: string
  lines(count: number): string
  /** Named in a run's label when not the Collatz items. */
  readonly label?: string
}

/** Collatz items (`examples/collatz.js`) of about 10 ms. */
export const COLLATZ_ITEMS: BenchItems = { module: MODULES.collatz, lines: collatzInputs }

/** Where Collatz (or other) items go, and how many. */
export interface CollatzRun {
  readonly placement: Placement
  readonly items: number
  /** More `pando` options (`--replicas 2`). */
  readonly args?: readonly string[]
  /** @default COLLATZ_ITEMS */
  readonly stream?: BenchItems
}

/** A run's label: where its items go, its extra options, and its items if not Collatz's. */
const runLabel = (config: CollatzRun): string =>
  [placementLabel(config.placement), ...(config.args ?? [])].join(' ') +
  (config.stream?.label === undefined ? '' : `, ${config.stream.label}`)

/**
 * Streams Collatz items (`examples/collatz.js`, about 10 ms each; or the configuration's own) through each
 * configuration, `runs` times (see `measureAll`), logging each run under `scenario`: a row per configuration
 * (its items, median items/s, failed runs and every run's record), to which a scenario adds its own figures,
 * and the median rates.
 */
export async function measureCollatz(
  context: BenchContext,
  scenario: string,
  configs: readonly CollatzRun[],
): Promise<{ rows: Row[]; rates: (number | undefined)[] }> {
  const records = await measureAll(
    configs,
    context.options.runs,
    async (config) =>
      (
        await streamItems(context, {
          module: (config.stream ?? COLLATZ_ITEMS).module,
          ...(config.args === undefined ? {} : { args: config.args }),
          placement: config.placement,
          input: () => (config.stream ?? COLLATZ_ITEMS).lines(config.items),
          items: config.items,
        })
      ).record,
    (config, run, record) =>
      context.log(
        `${scenario}: ${runLabel(config)}, run ${run + 1}: ${
          record.error ?? `${formatNumber(Number(record['itemsPerSecond']), 1)} items/s`
        }`,
      ),
  )
  const rates = configs.map((config) =>
    medianOf(succeeded<StreamRecord>(records.get(config) ?? []), (run) => run.itemsPerSecond),
  )
  const rows = configs.map((config, index): Row => {
    const runs = records.get(config) ?? []
    const cpu = (key: string): number | undefined =>
      medianOf(succeeded<StreamRecord>(runs), (run) => run.cpu?.[key])
    return {
      label: runLabel(config),
      config,
      figures: {
        items: config.items,
        itemsPerSecond: rates[index],
        failedRuns: runs.length - succeeded(runs).length,
        rootCpuUs: cpu('rootCpuUs'),
        pageCpuUs: cpu('pageCpuUs'),
        workerCpuUs: cpu('workerCpuUs'),
        browserCpuUs: cpu('browserCpuUs'),
      },
      runs,
    }
  })
  return { rows, rates }
}
