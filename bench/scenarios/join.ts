import type { Page } from 'playwright-core'
import { MODULES, type BenchContext } from '../context.ts'
import { pollFor } from '../clock.ts'
import { measureAll, succeeded, type Row, type RunRecord, type ScenarioResult } from '../result.ts'
import { histogram, median, medianOf } from '../stats.ts'
import type { TabReading, Tabs } from '../tabs.ts'
import { lineStream, startNetworkedPando } from '../timed-pando.ts'

const TARGET_MEDIAN_MS = 500
const TARGET_SLOWEST_MS = 2_000
/** Small batches, so 100 tabs × 2 batches stay well inside the root's reorder window (1,024 items). */
const BATCH_SIZE = 2
/** Each item is held this long (no CPU), so the tabs' work does not slow the joins down. */
const HOLD_MS = 1_000
/** How long the last tab of a run may take to get its first item before the run fails. */
const JOIN_TIMEOUT_MS = 90_000

interface Config {
  readonly tabs: number
  readonly degree: number
}

interface JoinRecord extends RunRecord {
  readonly medianMs: number | undefined
  /** Median time from the load event to having a parent and a Worker (`#status` idle). */
  readonly medianReadyMs: number | undefined
  readonly slowestMs: number | undefined
  /** Failed join attempts, summed over the tabs; `undefined` when no tab joined through the tree. */
  readonly failedJoins: number | undefined
  readonly tabsWithoutItem: number
  readonly depths: Record<string, number>
  readonly transports: Record<string, number>
  /** Per tab: from its load event to its first item, from its navigation start, join sockets, depth. */
  readonly tabs: readonly {
    readonly fromLoadMs: number | undefined
    readonly readyMs: number | undefined
    readonly fromNavigationMs: number | undefined
    readonly joinSockets: number
    readonly transport: string | undefined
    readonly depth: string | undefined
    readonly fellBack: boolean
  }[]
}

/** Failed attempts of one tab, told by its `/join` sockets (one per attempt): all but the last that joined. */
function failedAttempts(reading: TabReading): number | undefined {
  if (reading.joinSockets === 0) return undefined
  return reading.transport === 'WebRTC' && reading.firstItemAt !== undefined
    ? reading.joinSockets - 1
    : reading.joinSockets
}

async function measureJoin(tabs: Tabs, config: Config): Promise<JoinRecord> {
  const { pando, url } = await startNetworkedPando(
    [MODULES.hold, '--batch-size', String(BATCH_SIZE), '--degree', String(config.degree)],
    { input: lineStream(0, Infinity, (n) => `${n}:${HOLD_MS}`) },
  )
  let pages: Page[] = []
  try {
    pages = await tabs.open(url, 'auto', config.tabs, `join${config.tabs}`)
    let readings: TabReading[] = []
    await pollFor(
      async () => {
        readings = await Promise.all(pages.map((page) => tabs.read(page)))
        return readings.every((reading) => reading.firstItemAt !== undefined) ? true : undefined
      },
      `${config.tabs} tabs to get their first item`,
      JOIN_TIMEOUT_MS,
      250,
    ).catch(() => undefined) // the tabs that got none are counted below
    const perTab = readings.map((reading) => ({
      fromLoadMs:
        reading.firstItemAt === undefined || reading.loadAt === undefined
          ? undefined
          : reading.firstItemAt - reading.loadAt,
      readyMs:
        reading.readyAt === undefined || reading.loadAt === undefined
          ? undefined
          : reading.readyAt - reading.loadAt,
      fromNavigationMs:
        reading.firstItemAt === undefined ? undefined : reading.firstItemAt - reading.timeOrigin,
      joinSockets: reading.joinSockets,
      transport: reading.transport,
      depth: reading.depth,
      // A tab on the plain URL uses the WebSocket only after the tree failed (its #message says so only
      // until its Worker starts).
      fellBack:
        reading.transport === 'WebSocket' || (reading.message?.startsWith('Using the WebSocket') ?? false),
    }))
    const times = perTab.map((tab) => tab.fromLoadMs).filter((ms): ms is number => ms !== undefined)
    const failures = readings.map(failedAttempts).filter((count): count is number => count !== undefined)
    return {
      medianMs: median(times),
      medianReadyMs: median(perTab.map((tab) => tab.readyMs).filter((ms): ms is number => ms !== undefined)),
      slowestMs: times.length === pages.length ? Math.max(...times) : undefined,
      failedJoins: failures.length === 0 ? undefined : failures.reduce((a, b) => a + b, 0),
      tabsWithoutItem: pages.length - times.length,
      depths: histogram(perTab.map((tab) => tab.depth ?? 'n/a')),
      transports: histogram(
        perTab.map((tab) => (tab.fellBack ? 'WebSocket (fallback)' : (tab.transport ?? 'n/a'))),
      ),
      tabs: perTab,
    }
  } finally {
    await pando.stop()
    await tabs.closeAll()
  }
}

const formatCounts = (counts: Record<string, number> | undefined): string | undefined =>
  counts === undefined
    ? undefined
    : Object.entries(counts)
        .map(([key, count]) => `${key}: ${count}`)
        .join(', ')

/**
 * join: 10, 50 and 100 tabs opened at once on a plain URL (what volunteers get), at degree 10 and 3: each tab's
 * time from its load event to its first item, failed join attempts, depths.
 */
export async function join(context: BenchContext): Promise<ScenarioResult> {
  const tabs = await context.tabs()
  const configs: Config[] = context.sizes.joinTabs.flatMap((count) =>
    context.sizes.joinDegrees.map((degree) => ({ tabs: count, degree })),
  )
  const records = await measureAll(
    configs,
    context.options.runs,
    (config) => measureJoin(tabs, config),
    (config, run, record) =>
      context.log(
        `join: ${config.tabs} tabs, degree ${config.degree}, run ${run + 1}: ${
          record.error ??
          `median ${Math.round(Number(record['medianMs']))} ms, slowest ${Math.round(Number(record['slowestMs']))} ms`
        }`,
      ),
  )
  const rows: Row[] = configs.map((config) => {
    const runs = records.get(config) ?? []
    const ok = succeeded<JoinRecord>(runs)
    const medianMs = medianOf(ok, (run) => run.medianMs)
    const slowestMs = medianOf(ok, (run) => run.slowestMs)
    const failedJoins = medianOf(ok, (run) => run.failedJoins)
    const last = ok[ok.length - 1]
    const checks = [
      medianMs === undefined ? undefined : medianMs <= TARGET_MEDIAN_MS,
      slowestMs === undefined ? undefined : slowestMs <= TARGET_SLOWEST_MS,
      failedJoins === undefined ? undefined : failedJoins === 0,
    ]
    const met = checks.includes(false) ? false : checks.includes(undefined) ? undefined : true
    return {
      label: `${config.tabs} tabs, degree ${config.degree}`,
      config,
      figures: {
        medianMs,
        slowestMs,
        medianReadyMs: medianOf(ok, (run) => run.medianReadyMs),
        failedJoins,
        tabsWithoutItem: medianOf(ok, (run) => run.tabsWithoutItem),
        depths: formatCounts(last?.depths),
        transports: formatCounts(last?.transports),
        failedRuns: runs.length - ok.length,
      },
      ...(config.tabs === 100
        ? {
            target: {
              text: `median ≤ ${TARGET_MEDIAN_MS} ms, slowest ≤ ${TARGET_SLOWEST_MS} ms, no failed attempt`,
              met,
              ...(met === undefined && !checks.includes(false)
                ? { note: 'failed join attempts are not known (no tab joined through the tree)' }
                : {}),
            },
          }
        : {}),
      runs,
    }
  })
  return {
    name: 'join',
    measures: 'tabs opened at once: time from each tab’s load event to its first item (medians over runs)',
    columns: [
      { key: 'medianMs', title: 'median (ms)' },
      { key: 'slowestMs', title: 'slowest (ms)' },
      { key: 'medianReadyMs', title: 'median joined (ms)' },
      { key: 'failedJoins', title: 'failed joins' },
      { key: 'tabsWithoutItem', title: 'no item' },
      { key: 'depths', title: 'depths (last run)' },
      { key: 'transports', title: 'transports (last run)' },
      { key: 'failedRuns', title: 'failed runs' },
    ],
    rows,
    notes: [
      'tabs open the plain URL (no #protocol): they join the WebRTC tree and fall back to the WebSocket if it fails',
      '"first item": the tab shows #status "working" (or a processed count) for the first time, seen by a MutationObserver in the tab; "joined": it shows "idle" (a parent and a Worker) for the first time',
      `failed joins: /join WebSockets a tab opened (one per attempt) beyond the one that joined; n/a when no tab tried the tree`,
      `items are held ${HOLD_MS} ms each without CPU, batch size ${BATCH_SIZE}, so that every tab can hold items at once`,
    ],
  }
}
