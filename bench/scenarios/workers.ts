import { measureCollatz, type CollatzRun } from '../collatz.ts'
import { TRANSPORT_NAMES, type BenchContext } from '../context.ts'
import type { Row, ScenarioResult } from '../result.ts'
import { round } from '../stats.ts'
import { CPU_COLUMNS } from '../cpu-time.ts'

/** Issue 13's target: one tab with 2 Workers at least this many times as fast as with 1, on 2 cores. */
const TARGET_SPEED_UP = 1.8
/** Issue 13's target for a CPU use of 50 %: the Worker computes 40 to 60 % of the time. */
const TARGET_BUSY_SHARE = [40, 60] as const
/** The CPU use of the throttled row, in percent. */
const THROTTLE = 50

/**
 * workers: one tab running Collatz items (about 10 ms each) with 1 Worker, with 2, and with 1 at a CPU use
 * of 50 % (chosen on the page, as a volunteer would). The speed-up of 2 Workers over 1, and the throttled
 * Worker's busy share: its rate over the unthrottled one's (a Worker that computes half the time does half
 * the items), over some 10 s of items at the full size.
 */
export async function workers(context: BenchContext): Promise<ScenarioResult> {
  const { sizes, preferred } = context
  const perTab = sizes.scalingItemsPerTab
  const tab = (workerCount: number, cpuLimit?: number) =>
    ({
      kind: 'tabs',
      tabs: 1,
      transport: preferred,
      workers: workerCount,
      ...(cpuLimit === undefined ? {} : { cpuLimit }),
    }) as const
  const configs: CollatzRun[] = [
    { placement: tab(1), items: perTab },
    { placement: tab(2), items: 2 * perTab },
    { placement: tab(1, THROTTLE), items: Math.ceil(perTab / 2) },
  ]
  const measured = await measureCollatz(context, 'workers', configs)
  const [one, two, throttled] = measured.rates
  const speedUp = one === undefined || two === undefined ? undefined : two / one
  const busyShare = one === undefined || throttled === undefined ? undefined : (100 * throttled) / one
  const rows: Row[] = [
    ...measured.rows,
    {
      label: 'speed-up: 2 Workers / 1 Worker',
      config: { transport: preferred },
      figures: { speedUp: round(speedUp, 3) },
      target: {
        text: `≥ ${TARGET_SPEED_UP}×`,
        met: speedUp === undefined ? undefined : speedUp >= TARGET_SPEED_UP,
      },
      runs: [],
    },
    {
      label: `busy share at ${THROTTLE} % CPU (its rate / 1 Worker's)`,
      config: { transport: preferred, cpuLimit: THROTTLE },
      figures: { busyShare: round(busyShare, 1) },
      target: {
        text: `${TARGET_BUSY_SHARE[0]}–${TARGET_BUSY_SHARE[1]} %`,
        met:
          busyShare === undefined
            ? undefined
            : busyShare >= TARGET_BUSY_SHARE[0] && busyShare <= TARGET_BUSY_SHARE[1],
      },
      runs: [],
    },
  ]
  return {
    name: 'workers',
    measures: 'one tab with 1 and 2 Workers, and 1 Worker at 50 % CPU, on Collatz items of about 10 ms',
    columns: [
      { key: 'items', title: 'items' },
      { key: 'itemsPerSecond', title: 'items/s', digits: 1 },
      { key: 'speedUp', title: 'speed-up', digits: 3 },
      { key: 'busyShare', title: 'busy %', digits: 1 },
      ...CPU_COLUMNS,
      { key: 'failedRuns', title: 'failed runs' },
    ],
    rows,
    notes: [
      `the tab uses ${TRANSPORT_NAMES[preferred]} (what a plain URL gets here); 2 Workers get twice the items of 1`,
      'figures are medians of the runs; the machine is shared, so compare rows of one run only',
    ],
  }
}
