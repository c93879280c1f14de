import { spawn, type ChildProcess } from 'node:child_process'
import type { Page } from 'playwright-core'
import { seqLines } from '../../harness/pando-process.ts'
import { now, pollFor, sleep } from '../clock.ts'
import { MODULES, formatNumber, type BenchContext } from '../context.ts'
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

type Kind = 'wait' | 'cpu'

interface Config {
  readonly kind: Kind
  /** Ms per item: waiting (`hold.cjs`) or computing (`spin.cjs`). */
  readonly itemMs: number
  readonly tabs: number
  readonly items: number
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
}

/** Busy processes beside the tabs: a loaded machine, as in the issue. */
function startHog(): ChildProcess {
  return spawn(process.execPath, ['-e', 'for(;;);'], { stdio: 'ignore' })
}

/** The ideal wall time of `config` for tabs ready at these offsets (ms, from the first). */
function idealWallMs(config: Config, readyOffsets: readonly number[]): number {
  return (config.items * config.itemMs + readyOffsets.reduce((a, b) => a + b, 0)) / readyOffsets.length
}

async function measureSpread(context: BenchContext, config: Config): Promise<SpreadRecord> {
  const tabs = await context.tabs()
  const hog = startHog()
  const module = config.kind === 'wait' ? MODULES.hold : MODULES.spin
  const { pando, url } = await startNetworkedPando([module], {
    input: seqLines(0, config.items, (n) => `${n}:${config.itemMs}`),
  })
  try {
    const pages: Page[] = []
    for (let i = 0; i < config.tabs; i++) {
      if (i > 0) await sleep(TAB_GAP_MS)
      pages.push(...(await tabs.open(url, 'auto', 1, `spread${config.tabs}-${i + 1}`)))
    }
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
    return {
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
    hog.kill('SIGKILL')
    await pando.stop()
    await tabs.closeAll()
  }
}

const configLabel = (config: Config): string =>
  `${config.kind === 'wait' ? `${config.itemMs} ms waiting` : `${config.itemMs} ms CPU-bound`} items, ${config.tabs} tab${config.tabs === 1 ? '' : 's'}`

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
  if (config.tabs === 1) return { label: configLabel(config), config, figures, runs }
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
 * spread (issue 13 §1): real tabs joining 0.7 s apart on the plain URL, a CPU hog beside them. Items of 1 s
 * that wait over 4 tabs: each tab's share and the wall time against the ideal; CPU-bound items of 10 ms and
 * 150 ms (the original's collatz-range-bignum size) through 1 and 2 tabs: items/s and the speed-up.
 */
export async function spread(context: BenchContext): Promise<ScenarioResult> {
  const sizes = context.sizes
  const configs: Config[] = [
    { kind: 'wait', itemMs: WAIT_MS, tabs: 4, items: sizes.spreadWaitItems },
    ...([10, 150] as const).flatMap((itemMs) =>
      [1, 2].map((tabs): Config => ({
        kind: 'cpu',
        itemMs,
        tabs,
        items: tabs * sizes.spreadCpuItemsPerTab[itemMs],
      })),
    ),
  ]
  const records = await measureAll<Config, SpreadRecord>(
    configs,
    context.options.runs,
    (config) => measureSpread(context, config),
    (config, run, record) =>
      context.log(
        `spread: ${configLabel(config)}, run ${run + 1}: ${
          record.error ??
          `shares ${(record['shares'] as number[]).join(' / ')}, wall ${formatNumber(Number(record['wallMs']) / 1000, 1)} s (ideal ${formatNumber(Number(record['idealMs']) / 1000, 1)} s)`
        }`,
      ),
  )
  const rate = (config: Config): number | undefined =>
    medianOf(succeeded<SpreadRecord>(records.get(config) ?? []), (run) => run.itemsPerSecond)
  const rows = configs.map((config) => {
    const alone = configs.find((c) => c.kind === 'cpu' && c.itemMs === config.itemMs && c.tabs === 1)
    const one = alone === undefined ? undefined : rate(alone)
    const two = rate(config)
    const speedUp =
      config.kind === 'cpu' && config.tabs === 2 && one !== undefined && two !== undefined
        ? two / one
        : undefined
    return spreadRow(config, records.get(config) ?? [], speedUp)
  })
  return {
    name: 'spread',
    measures:
      'tabs joining 0.7 s apart beside a CPU hog: each tab’s share, wall time, and the 2-tab speed-up',
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
    rows,
    notes: [
      'tabs open the plain URL one after another, 0.7 s apart, while one `node -e "for(;;);"` runs beside them for the whole run',
      `waiting items: bench/fixtures/hold.cjs, ${WAIT_MS} ms each without the processor; CPU-bound items: bench/fixtures/spin.cjs, a loop on the clock for 10 or 150 ms`,
      'wall: from the first tab ready (a parent and a Worker) to pando’s exit; ideal: each tab running one item at a time from when it was ready (Σ (T − ready) = items × item time)',
      'speed-up: items/s over the wall time with 2 tabs / with 1 tab, at the same item size; on 2 cores with a hog beside them, 2 tabs share what the hog leaves',
    ],
  }
}
