import { bareWorkersRate, startBareWorkersServer, type BareModule } from '../bare-workers.ts'
import { collatzInputList, measureCollatz, type CollatzRun } from '../collatz.ts'
import { computedInputList, computedItems, computeStepsPerMs } from '../compute-steps.ts'
import { formatNumber, TRANSPORT_NAMES, type BenchContext } from '../context.ts'
import type { ForcedTransport } from '../options.ts'
import { CPU_COLUMNS } from '../cpu-time.ts'
import { measureAll, succeeded, type Row, type RunRecord, type ScenarioResult } from '../result.ts'
import { medianOf, round } from '../stats.ts'

/** Issue 13's target: one tab with 2 Workers at least this many times as fast as with 1, on 2 cores. */
const TARGET_SPEED_UP = 1.8
/** Issue 13's target for a CPU use of 50 %: the Worker computes 40 to 60 % of the time. */
const TARGET_BUSY_SHARE = [40, 60] as const
/** The CPU use of the throttled row, in percent. */
const THROTTLE = 50
/** The computed items' time, in ms of a core: the Collatz items' size. */
const COMPUTED_ITEM_MS = 10

/** Items a bare page runs: the module, and `count` of its inputs. */
interface BareItems {
  readonly module: BareModule
  inputs(count: number): string[]
  /** Named in the rows when not the Collatz items. */
  readonly label?: string
}

/**
 * workers: one tab running Collatz items (about 10 ms each) with 1 Worker, with 2, and with 1 at a CPU use
 * of 50 % (chosen on the page, as a volunteer would). The speed-up of 2 Workers over 1, and the throttled
 * Worker's busy share: its rate over the unthrottled one's (a Worker that computes half the time does half
 * the items), over some 10 s of items at the full size. The speed-up again on computed items of 10 ms
 * (`bench/fixtures/compute.cjs`), which allocate nothing: Collatz's bignumber.js keeps V8's collector
 * threads busy beside the Workers, so that two plain Workers of a bare page get well under 2× of one on
 * 2 cores. Each speed-up comes with the bare page's, the machine's ceiling for it.
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
  const stepsPerMs = await computeStepsPerMs((await context.tabs()).context)
  const computed = computedItems(COMPUTED_ITEM_MS, stepsPerMs)
  const configs: CollatzRun[] = [
    { placement: tab(1), items: perTab },
    { placement: tab(2), items: 2 * perTab },
    { placement: tab(1, THROTTLE), items: Math.ceil(perTab / 2) },
    { placement: tab(1), items: perTab, stream: computed },
    { placement: tab(2), items: 2 * perTab, stream: computed },
  ]
  const measured = await measureCollatz(context, 'workers', configs)
  const [one, two, throttled, computedOne, computedTwo] = measured.rates
  const collatzBare = await measureBareWorkers(context, perTab, {
    module: '/collatz.js',
    inputs: collatzInputList,
  })
  const computedBare = await measureBareWorkers(context, perTab, {
    module: '/compute.js',
    inputs: (count) => computedInputList(count, COMPUTED_ITEM_MS, stepsPerMs),
    label: computed.label,
  })
  const busyShare = one === undefined || throttled === undefined ? undefined : (100 * throttled) / one
  const rows: Row[] = [
    ...measured.rows.slice(0, 3),
    ...speedUpRows(ratio(two, one), collatzBare, preferred),
    ...measured.rows.slice(3),
    ...speedUpRows(ratio(computedTwo, computedOne), computedBare, preferred, computed.label),
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
    measures:
      'one tab with 1 and 2 Workers, and 1 Worker at 50 % CPU, on Collatz items of about 10 ms; 1 and 2 Workers on computed items of 10 ms',
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
      'computed items: bench/fixtures/compute.cjs, arithmetic steps that take 10 ms of a core in this Chromium (timed on a blank page first), without allocating: no collector threads beside the Workers, as Collatz’s bignumber.js has',
    ],
  }
}

const ratio = (a: number | undefined, b: number | undefined): number | undefined =>
  a === undefined || b === undefined ? undefined : a / b

/**
 * The speed-up of 2 Workers over 1, against the issue's target; the bare page's rows and its speed-up, the
 * machine's ceiling; and pando's share of that ceiling.
 */
function speedUpRows(
  speedUp: number | undefined,
  bare: { rows: Row[]; rates: (number | undefined)[] },
  transport: ForcedTransport,
  itemsLabel?: string,
): Row[] {
  const suffix = itemsLabel === undefined ? '' : `, ${itemsLabel}`
  const bareSpeedUp = ratio(bare.rates[1], bare.rates[0])
  return [
    {
      label: `speed-up: 2 Workers / 1 Worker${suffix}`,
      config: { transport },
      figures: { speedUp: round(speedUp, 3) },
      target: {
        text: `≥ ${TARGET_SPEED_UP}×`,
        met: speedUp === undefined ? undefined : speedUp >= TARGET_SPEED_UP,
      },
      runs: [],
    },
    ...bare.rows,
    {
      label: `the machine's ceiling: bare 2 Workers / 1 Worker${suffix}`,
      config: {},
      figures: { speedUp: round(bareSpeedUp, 3) },
      runs: [],
    },
    {
      label: `pando's speed-up / the ceiling${suffix}`,
      config: { transport },
      figures: { speedUp: round(ratio(speedUp, bareSpeedUp), 3) },
      runs: [],
    },
  ]
}

/** The same items in 1 and 2 bare Workers of one page (see bare-workers.ts): rows and median rates. */
async function measureBareWorkers(
  context: BenchContext,
  perTab: number,
  items: BareItems,
): Promise<{ rows: Row[]; rates: (number | undefined)[] }> {
  const configs = [
    { workers: 1, items: perTab },
    { workers: 2, items: 2 * perTab },
  ]
  const label = (config: { workers: number }): string =>
    `bare page, ${config.workers} ${config.workers === 1 ? 'Worker' : 'Workers'}${items.label === undefined ? '' : `, ${items.label}`} (no pando)`
  const server = await startBareWorkersServer()
  const { context: browser } = await context.tabs()
  const page = await browser.newPage()
  try {
    await page.goto(server.url)
    const records = await measureAll(
      configs,
      context.options.runs,
      async (config) => ({
        itemsPerSecond: await bareWorkersRate(page, config.workers, items.inputs(config.items), items.module),
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
