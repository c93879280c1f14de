import { bareWorkersRate, startBareWorkersServer } from '../bare-workers.ts'
import { collatzInputList, measureCollatz, type CollatzRun } from '../collatz.ts'
import { formatNumber, TRANSPORT_NAMES, type BenchContext } from '../context.ts'
import { CPU_COLUMNS } from '../cpu-time.ts'
import { measureAll, succeeded, type Row, type RunRecord, type ScenarioResult } from '../result.ts'
import { medianOf, round } from '../stats.ts'

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
  const speedUp = ratio(two, one)
  const bare = await measureBareWorkers(context, perTab)
  const bareSpeedUp = ratio(bare.rates[1], bare.rates[0])
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
    ...bare.rows,
    {
      label: "the machine's ceiling: bare 2 Workers / 1 Worker",
      config: {},
      figures: { speedUp: round(bareSpeedUp, 3) },
      runs: [],
    },
    {
      label: "pando's speed-up / the ceiling",
      config: { transport: preferred },
      figures: { speedUp: round(ratio(speedUp, bareSpeedUp), 3) },
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
      'the bare rows run the same module and inputs in plain Web Workers of a page without pando (bare-workers.ts): what the machine gives two Workers at most',
    ],
  }
}

const ratio = (a: number | undefined, b: number | undefined): number | undefined =>
  a === undefined || b === undefined ? undefined : a / b

/** The same Collatz items in 1 and 2 bare Workers of one page (see bare-workers.ts): rows and median rates. */
async function measureBareWorkers(
  context: BenchContext,
  perTab: number,
): Promise<{ rows: Row[]; rates: (number | undefined)[] }> {
  const configs = [
    { workers: 1, items: perTab },
    { workers: 2, items: 2 * perTab },
  ]
  const label = (config: { workers: number }): string =>
    `bare page, ${config.workers} ${config.workers === 1 ? 'Worker' : 'Workers'} (no pando)`
  const server = await startBareWorkersServer()
  const { context: browser } = await context.tabs()
  const page = await browser.newPage()
  try {
    await page.goto(server.url)
    const records = await measureAll(
      configs,
      context.options.runs,
      async (config) => ({
        itemsPerSecond: await bareWorkersRate(page, config.workers, collatzInputList(config.items)),
      }),
      (config, run, record) =>
        context.log(
          `workers: ${label(config)}, run ${run + 1}: ${
            record.error ?? `${formatNumber(Number(record['itemsPerSecond']), 1)} items/s`
          }`,
        ),
    )
    const rates = configs.map((config) =>
      medianOf(
        succeeded<RunRecord & { itemsPerSecond: number }>(records.get(config) ?? []),
        (run) => run.itemsPerSecond,
      ),
    )
    const rows = configs.map((config, index): Row => {
      const runs = records.get(config) ?? []
      return {
        label: label(config),
        config,
        figures: {
          items: config.items,
          itemsPerSecond: rates[index],
          failedRuns: runs.length - succeeded(runs).length,
        },
        runs,
      }
    })
    return { rows, rates }
  } finally {
    await page.close()
    await server.close()
  }
}
