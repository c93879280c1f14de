import { spawn, type ChildProcess } from 'node:child_process'
import { seqLines } from '../../harness/pando-process.ts'
import { now, pollFor, sleep } from '../clock.ts'
import { MODULES, formatNumber, type BenchContext } from '../context.ts'
import { bareTabsRate, startBareWorkersServer } from '../bare-workers.ts'
import { computedInputList, computeStepsPerMs, stepsFor } from '../compute-steps.ts'
import { measureAll, succeeded, type Row, type RunRecord, type ScenarioResult } from '../result.ts'
import { medianOf } from '../stats.ts'
import { startNetworkedPando } from '../timed-pando.ts'

/** Tabs open one after another, as a volunteer opens them by hand (issue 13). */
const TAB_GAP_MS = 700
/** Items that wait this long without the processor (`hold.cjs`). */
const WAIT_MS = 1_000
/** Targets of issue 13 §1. */
const TARGET_MOST_SHARE = 0.4
const TARGET_WALL_RATIO = 1.2
const TARGET_SPEED_UP = 1.9
/** A run that takes longer fails. */
const RUN_TIMEOUT_MS = 600_000

/**
 * What the items do: wait without the processor (`hold.cjs`), compute a fixed amount (`compute.cjs`: an
 * item's time is its share of a core), or loop on the clock (`spin.cjs`: busy for a fixed time, however much
 * of a core it gets).
 */
type Kind = 'wait' | 'compute' | 'clock'

interface Config {
  readonly kind: Kind
  /** Ms per item: waiting, computing on a core of its own, or looping on the clock. */
  readonly itemMs: number
  readonly tabs: number
  readonly items: number
  /** A CPU hog runs beside the tabs. */
  readonly hog: boolean
}

const MODULE_OF_KIND: Record<Kind, string> = {
  wait: MODULES.hold,
  compute: MODULES.compute,
  clock: MODULES.spin,
}

interface SpreadRecord extends RunRecord {
  /** Items each tab computed, in the order they were opened. */
  readonly shares: readonly number[]
  /** The largest share, as a fraction of the items. */
  readonly mostShare: number
  /** From the first tab ready to pando's exit. */
  readonly wallMs: number
  /**
   * The least wall time the tabs could take, each running one item at a time from when it was ready:
   * T such that Σ (T − ready_k) = items × itemMs, counted from the first tab ready.
   */
  readonly idealMs: number
  readonly itemsPerSecond: number
  /** When each tab was ready, in ms after the first. */
  readonly readyOffsetsMs: readonly number[]
  /** From the first tab ready to the last result on stdout (the rest of `wallMs` is pando's exit). */
  readonly lastResultMs: number
}

/** Busy processes beside the tabs: a loaded machine, as in the issue. */
function startHog(): ChildProcess {
  return spawn(process.execPath, ['-e', 'for(;;);'], { stdio: 'ignore' })
}

/** The ideal wall time of `config` for tabs ready at these offsets (ms, from the first). */
function idealWallMs(config: Config, readyOffsets: readonly number[]): number {
  return (config.items * config.itemMs + readyOffsets.reduce((a, b) => a + b, 0)) / readyOffsets.length
}

/** An item's argument after the colon: its ms, or for computed items the steps that take that long. */
const itemArgument = (config: Config, stepsPerMs: number): number =>
  config.kind === 'compute' ? stepsFor(config.itemMs, stepsPerMs) : config.itemMs

async function measureSpread(
  context: BenchContext,
  config: Config,
  stepsPerMs: number,
): Promise<SpreadRecord> {
  const tabs = await context.tabs()
  const hog = config.hog ? startHog() : undefined
  const argument = itemArgument(config, stepsPerMs)
  const { pando, url } = await startNetworkedPando([MODULE_OF_KIND[config.kind]], {
    input: seqLines(0, config.items, (n) => `${n}:${argument}`),
  })
  try {
    // Each tab is opened TAB_GAP_MS after the one before it started opening, whatever its page load takes.
    const pages = (
      await Promise.all(
        Array.from({ length: config.tabs }, async (_, i) => {
          await sleep(i * TAB_GAP_MS)
          return tabs.open(url, 'auto', 1, `spread${config.tabs}-${i + 1}`)
        }),
      )
    ).flat()
    const exit = await Promise.race([
      pando.exited,
      sleep(RUN_TIMEOUT_MS).then(() => Promise.reject(new Error('the run took too long'))),
    ])
    const endedAt = now()
    if (exit.code !== 0) throw new Error(`pando exited with ${String(exit.code)}`)
    if (pando.lines() !== config.items) throw new Error(`${pando.lines()} results of ${config.items}`)
    // The pages show their counts within a quarter of a second.
    const readings = await pollFor(
      async () => {
        const read = await Promise.all(pages.map((page) => tabs.read(page)))
        return read.reduce((sum, r) => sum + r.processed, 0) >= config.items ? read : undefined
      },
      'the tabs to show their counts',
      5_000,
    )
    const ready = readings.map((reading) => reading.readyAt ?? reading.loadAt ?? endedAt)
    const first = Math.min(...ready)
    const shares = readings.map((reading) => reading.processed)
    const wallMs = endedAt - first
    const lastResultAt = pando.stdout[pando.stdout.length - 1]?.at ?? endedAt
    return {
      readyOffsetsMs: ready.map((at) => at - first),
      lastResultMs: lastResultAt - first,
      shares,
      mostShare: Math.max(...shares) / config.items,
      wallMs,
      idealMs: idealWallMs(
        config,
        ready.map((at) => at - first),
      ),
      itemsPerSecond: (config.items * 1000) / wallMs,
    }
  } finally {
    hog?.kill('SIGKILL')
    await pando.stop()
    await tabs.closeAll()
  }
}

const KIND_LABEL: Record<Kind, string> = {
  wait: 'waiting',
  compute: 'CPU-bound',
  clock: 'clock-loop',
}

/** Computed items in bare pages without pando (`bare-workers.ts`), all pages at once. */
interface BareConfig {
  readonly itemMs: 10 | 150
  readonly pages: number
  readonly itemsPerPage: number
}

const bareLabel = (config: BareConfig): string =>
  `${config.itemMs} ms CPU-bound items, bare ${config.pages === 1 ? 'page' : `${config.pages} pages at once`} (no pando)`

/**
 * What this machine gives 2 busy tabs at most: the computed items in 1 and in 2 bare pages of one Worker each
 * (no pando, no join: the pages start together): a row each, the 2-page rows with their speed-up.
 */
async function measureBarePages(context: BenchContext, stepsPerMs: number): Promise<Row[]> {
  const configs = ([10, 150] as const).flatMap((itemMs) =>
    [1, 2].map((pages): BareConfig => ({
      itemMs,
      pages,
      itemsPerPage: context.sizes.spreadCpuItemsPerTab[itemMs],
    })),
  )
  const server = await startBareWorkersServer()
  const { context: browser } = await context.tabs()
  const pages = [await browser.newPage(), await browser.newPage()]
  try {
    await Promise.all(pages.map((page) => page.goto(server.url)))
    const records = await measureAll(
      configs,
      context.options.runs,
      async (config) => {
        const inputs = computedInputList(config.itemsPerPage, config.itemMs, stepsPerMs)
        return { itemsPerSecond: await bareTabsRate(pages.slice(0, config.pages), inputs, '/compute.js') }
      },
      (config, run, record) =>
        context.log(
          `spread: ${bareLabel(config)}, run ${run + 1}: ${
            record.error ?? `${formatNumber(Number(record['itemsPerSecond']), 1)} items/s`
          }`,
        ),
    )
    const rate = (config: BareConfig | undefined): number | undefined =>
      config === undefined
        ? undefined
        : medianOf(
            succeeded<RunRecord & { itemsPerSecond: number }>(records.get(config) ?? []),
            (run) => run.itemsPerSecond,
          )
    return configs.map((config): Row => {
      const runs = records.get(config) ?? []
      const one = rate(configs.find((c) => c.itemMs === config.itemMs && c.pages === 1))
      const own = rate(config)
      const speedUp = config.pages === 2 && one !== undefined && own !== undefined ? own / one : undefined
      return {
        label: bareLabel(config),
        config,
        figures: {
          items: config.itemsPerPage * config.pages,
          itemsPerSecond: own,
          speedUp,
          failedRuns: runs.length - succeeded(runs).length,
        },
        runs,
      }
    })
  } finally {
    await Promise.all(pages.map((page) => page.close()))
    await server.close()
  }
}

const configLabel = (config: Config): string =>
  `${config.itemMs} ms ${KIND_LABEL[config.kind]} items, ${config.tabs} tab${config.tabs === 1 ? '' : 's'}${config.hog ? ', hog' : ''}`

function spreadRow(config: Config, runs: readonly RunRecord[], speedUp: number | undefined): Row {
  const ok = succeeded<SpreadRecord>(runs)
  const mostShare = medianOf(ok, (run) => run.mostShare)
  const wallMs = medianOf(ok, (run) => run.wallMs)
  const idealMs = medianOf(ok, (run) => run.idealMs)
  const wallRatio = medianOf(ok, (run) => run.wallMs / run.idealMs)
  const last = ok[ok.length - 1]
  const figures = {
    items: config.items,
    shares: last?.shares.join(' / '),
    mostSharePercent: mostShare === undefined ? undefined : mostShare * 100,
    wallS: wallMs === undefined ? undefined : wallMs / 1000,
    idealS: idealMs === undefined ? undefined : idealMs / 1000,
    wallRatio,
    itemsPerSecond: medianOf(ok, (run) => run.itemsPerSecond),
    speedUp,
    failedRuns: runs.length - ok.length,
  }
  if (config.kind === 'wait') {
    const met =
      mostShare === undefined || wallRatio === undefined
        ? undefined
        : mostShare <= TARGET_MOST_SHARE && wallRatio <= TARGET_WALL_RATIO
    return {
      label: configLabel(config),
      config,
      figures,
      target: { text: `no tab above ${TARGET_MOST_SHARE * 100} %, wall ≤ ${TARGET_WALL_RATIO}× ideal`, met },
      runs,
    }
  }
  if (config.tabs === 1 || config.kind === 'clock')
    return { label: configLabel(config), config, figures, runs }
  return {
    label: configLabel(config),
    config,
    figures,
    target: {
      text: `2 tabs ≥ ${TARGET_SPEED_UP}× 1 tab`,
      met: speedUp === undefined ? undefined : speedUp >= TARGET_SPEED_UP,
    },
    runs,
  }
}

/**
 * spread (issue 13 §1): real tabs joining 0.7 s apart on the plain URL. Items of 1 s that wait, over 4 tabs
 * beside a CPU hog: each tab's share and the wall time against the ideal. CPU-bound items of 10 ms and 150 ms
 * (the original's collatz-range-bignum size) through 1 and 2 tabs: items/s and the speed-up, without the
 * hog (on 2 cores it would leave two computing tabs 4/3 of a core: 1.33× at most, whatever the scheduler);
 * the same through the clock loop beside the hog, whose items take their time however little of a core they
 * get (what a loaded machine does to the messages around them); and the machine's own ceiling, the computed
 * items in 1 and 2 bare pages without pando.
 */
export async function spread(context: BenchContext): Promise<ScenarioResult> {
  const sizes = context.sizes
  const tabRuns = (kind: Kind, hog: boolean): Config[] =>
    ([10, 150] as const).flatMap((itemMs) =>
      [1, 2].map((tabs): Config => ({
        kind,
        itemMs,
        tabs,
        items: tabs * sizes.spreadCpuItemsPerTab[itemMs],
        hog,
      })),
    )
  const configs: Config[] = [
    { kind: 'wait', itemMs: WAIT_MS, tabs: 4, items: sizes.spreadWaitItems, hog: true },
    ...tabRuns('compute', false),
    ...tabRuns('clock', true),
  ]
  const stepsPerMs = await computeStepsPerMs((await context.tabs()).context)
  context.log(`spread: ${formatNumber(stepsPerMs)} computing steps per ms in this Chromium`)
  const records = await measureAll<Config, SpreadRecord>(
    configs,
    context.options.runs,
    (config) => measureSpread(context, config, stepsPerMs),
    (config, run, record) =>
      context.log(
        `spread: ${configLabel(config)}, run ${run + 1}: ${
          record.error ??
          `shares ${(record['shares'] as number[]).join(' / ')}, wall ${formatNumber(Number(record['wallMs']) / 1000, 1)} s (ideal ${formatNumber(Number(record['idealMs']) / 1000, 1)} s), last result ${formatNumber(Number(record['lastResultMs']) / 1000, 1)} s, ready ${(record['readyOffsetsMs'] as number[]).map((ms) => formatNumber(ms / 1000, 2)).join(' / ')} s`
        }`,
      ),
  )
  const rate = (config: Config): number | undefined =>
    medianOf(succeeded<SpreadRecord>(records.get(config) ?? []), (run) => run.itemsPerSecond)
  const rows = configs.map((config) => {
    const alone = configs.find(
      (c) => c.kind === config.kind && c.itemMs === config.itemMs && c.hog === config.hog && c.tabs === 1,
    )
    const one = alone === undefined || config.tabs !== 2 ? undefined : rate(alone)
    const two = rate(config)
    const speedUp = one !== undefined && two !== undefined ? two / one : undefined
    return spreadRow(config, records.get(config) ?? [], speedUp)
  })
  const bare = await measureBarePages(context, stepsPerMs)
  return {
    name: 'spread',
    measures:
      'tabs joining 0.7 s apart: each tab’s share, wall time, and the 2-tab speed-up, with and without a CPU hog beside them',
    columns: [
      { key: 'items', title: 'items' },
      { key: 'shares', title: 'shares (last run)' },
      { key: 'mostSharePercent', title: 'largest share (%)', digits: 1 },
      { key: 'wallS', title: 'wall (s)', digits: 1 },
      { key: 'idealS', title: 'ideal (s)', digits: 1 },
      { key: 'wallRatio', title: 'wall / ideal', digits: 2 },
      { key: 'itemsPerSecond', title: 'items/s', digits: 1 },
      { key: 'speedUp', title: 'speed-up', digits: 2 },
      { key: 'failedRuns', title: 'failed runs' },
    ],
    rows: [...rows, ...bare],
    notes: [
      'tabs open the plain URL one after another, 0.7 s apart; "hog": one `node -e "for(;;);"` runs beside them for the whole run',
      `waiting items: bench/fixtures/hold.cjs, ${WAIT_MS} ms each without the processor; CPU-bound items: bench/fixtures/compute.cjs, arithmetic steps that take 10 or 150 ms of a core in this Chromium (timed on a blank page first); clock-loop items: bench/fixtures/spin.cjs, a loop on the clock for 10 or 150 ms`,
      'wall: from the first tab ready (a parent and a Worker) to pando’s exit; ideal: each tab running one item at a time from when it was ready (Σ (T − ready) = items × item time); the JSON has each tab’s ready time and the last result’s',
      'speed-up: items/s over the wall time with 2 tabs / with 1 tab, at the same item size; bare pages: the same computed items in 1 and 2 pages of one plain Worker each, started together (no pando, no join), what 2 cores give two busy tabs',
    ],
  }
}
