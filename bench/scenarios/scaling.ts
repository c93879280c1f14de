import { measureCollatz, type CollatzRun } from '../collatz.ts'
import { TRANSPORT_NAMES, type BenchContext } from '../context.ts'
import type { Row, ScenarioResult } from '../result.ts'
import { round } from '../stats.ts'

/** The target: 2 tabs at least this many times as fast as 1 (2.0 is the limit on 2 cores). */
const TARGET_SPEED_UP = 1.95
/**
 * scaling: a CPU-bound function (Collatz, about 10 ms per item) through `--local`, 1 tab and 2 tabs; the
 * speed-up of 2 tabs over 1.
 */
export async function scaling(context: BenchContext): Promise<ScenarioResult> {
  const { sizes, preferred } = context
  const configs: CollatzRun[] = [
    { placement: { kind: 'local' }, items: sizes.scalingLocalItems },
    { placement: { kind: 'tabs', tabs: 1, transport: preferred }, items: sizes.scalingItemsPerTab },
    { placement: { kind: 'tabs', tabs: 2, transport: preferred }, items: 2 * sizes.scalingItemsPerTab },
  ]
  const measured = await measureCollatz(context, 'scaling', configs)
  const { rates } = measured
  const rows: Row[] = measured.rows.map((row, index) => {
    const rate = rates[index]
    return { ...row, figures: { ...row.figures, msPerItem: rate === undefined ? undefined : 1000 / rate } }
  })
  const [, one, two] = rates
  const speedUp = one === undefined || two === undefined ? undefined : two / one
  // Per-run speed-ups too, pairing the runs of 1 and 2 tabs taken one after the other.
  const [, oneRuns = [], twoRuns = []] = measured.rows.map((row) => row.runs)
  const pairs = oneRuns.map((run, index) => {
    const a = run['itemsPerSecond']
    const b = twoRuns[index]?.['itemsPerSecond']
    return { speedUp: typeof a === 'number' && typeof b === 'number' ? b / a : undefined }
  })
  rows.push({
    label: 'speed-up: 2 tabs / 1 tab',
    config: { transport: preferred },
    figures: { speedUp: round(speedUp, 3) },
    target: {
      text: `≥ ${TARGET_SPEED_UP}×`,
      met: speedUp === undefined ? undefined : speedUp >= TARGET_SPEED_UP,
    },
    runs: pairs,
  })
  return {
    name: 'scaling',
    measures:
      'a CPU-bound function (Collatz of 90-digit numbers, about 10 ms per item): items/s and speed-up',
    columns: [
      { key: 'items', title: 'items' },
      { key: 'itemsPerSecond', title: 'items/s', digits: 1 },
      { key: 'msPerItem', title: 'ms/item', digits: 2 },
      { key: 'speedUp', title: 'speed-up', digits: 3 },
      { key: 'failedRuns', title: 'failed runs' },
    ],
    rows,
    notes: [
      `tabs use ${TRANSPORT_NAMES[preferred]} (what a plain URL gets here); 2 tabs get twice the items of 1 tab`,
      'the speed-up is the ratio of the medians; the per-run ratios are in the JSON',
    ],
  }
}
