import { measureCollatz, type CollatzRun } from '../collatz.ts'
import { TRANSPORT_NAMES, type BenchContext } from '../context.ts'
import type { Row, ScenarioResult } from '../result.ts'
import { round } from '../stats.ts'

/** Issue 16's target: `--replicas 2` costs no more than this many times the time of `--replicas 1`. */
const TARGET_COST = 2.2
/** Honest tabs, one Worker each. */
const TABS = 3

/**
 * replicas: three honest tabs (one Worker each) running Collatz items (about 10 ms each) with `--replicas 1`
 * and `--replicas 2`: the cost of replication, the rate without it over the rate with it (each item is
 * computed twice, so about 2 is the floor).
 */
export async function replicas(context: BenchContext): Promise<ScenarioResult> {
  const { sizes, preferred } = context
  const items = sizes.scalingItemsPerTab * TABS
  const placement = { kind: 'tabs', tabs: TABS, transport: preferred, workers: 1 } as const
  const configs: CollatzRun[] = [
    { placement, items, args: ['--replicas', '1'] },
    { placement, items, args: ['--replicas', '2'] },
  ]
  const measured = await measureCollatz(context, 'replicas', configs)
  const [single, double] = measured.rates
  const cost = single === undefined || double === undefined ? undefined : single / double
  const rows: Row[] = [
    ...measured.rows,
    {
      label: 'cost: rate of --replicas 1 / rate of --replicas 2',
      config: { transport: preferred },
      figures: { cost: round(cost, 3) },
      target: { text: `≤ ${TARGET_COST}×`, met: cost === undefined ? undefined : cost <= TARGET_COST },
      runs: [],
    },
  ]
  return {
    name: 'replicas',
    measures: `${TABS} honest tabs of 1 Worker with --replicas 1 and 2, on Collatz items of about 10 ms`,
    columns: [
      { key: 'items', title: 'items' },
      { key: 'itemsPerSecond', title: 'items/s', digits: 1 },
      { key: 'cost', title: 'cost', digits: 3 },
      { key: 'failedRuns', title: 'failed runs' },
    ],
    rows,
    notes: [
      `the tabs use ${TRANSPORT_NAMES[preferred]}; items/s counts items written (each computed twice with --replicas 2)`,
      'figures are medians of the runs; the machine is shared, so compare rows of one run only',
    ],
  }
}
