import type { Page } from 'playwright-core'
import { MODULES, type BenchContext } from '../context.ts'
import { pollFor } from '../clock.ts'
import { measureAll, succeeded, type Row, type RunRecord, type ScenarioResult } from '../result.ts'
import { startBarePageServer } from '../bare-page.ts'
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
/**
 * How often the tabs are read until each has its first item. The probe records the times in the tab, so this
 * only decides when to stop: reading a hundred tabs often would take the processor from the tabs measured.
 */
const POLL_MS = 1_000

/** `degree`: pando's `--degree`, or `'bare'` for the bare page (the lower bound, see bare-page.ts). */
interface Config {
  readonly tabs: number
  readonly degree: number | 'bare'
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

/** What a run of the bare page gives: its tabs' times from the load event to the WebSocket's message. */
interface BareRecord extends RunRecord {
  readonly medianMs: number | undefined
  readonly slowestMs: number | undefined
  readonly tabsWithoutItem: number
}

/** The bare page's record, in the tab's clock (see bare-page.ts). */
interface BareJoin {
  readonly loadAt: number | null
  readonly messageAt: number | null
}

async function measureBare(tabs: Tabs, count: number): Promise<BareRecord> {
  const server = await startBarePageServer()
  try {
    const pages = await tabs.open(server.url, 'auto', count, `bare${count}`)
    let times: (number | undefined)[] = []
    await pollFor(
      async () => {
        // A string, not a function: tsx compiles functions with helpers that the page does not have.
        const joins = (await Promise.all(
          pages.map((page) => page.evaluate('window.__bareJoin')),
        )) as BareJoin[]
        times = joins.map(({ loadAt, messageAt }) =>
          loadAt === null || messageAt === null ? undefined : messageAt - loadAt,
        )
        return times.every((ms) => ms !== undefined) ? true : undefined
      },
      `${count} bare pages to hear from their WebSocket`,
      JOIN_TIMEOUT_MS,
      POLL_MS,
    ).catch(() => undefined) // the tabs that heard nothing are counted below
    const heard = times.filter((ms): ms is number => ms !== undefined)
    return {
      medianMs: median(heard),
      slowestMs: heard.length === count ? Math.max(...heard) : undefined,
      tabsWithoutItem: count - heard.length,
    }
  } finally {
    await tabs.closeAll()
    await server.close()
  }
}

async function measureJoin(tabs: Tabs, config: Config & { readonly degree: number }): Promise<JoinRecord> {
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
      POLL_MS,
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

const configLabel = (config: Config): string =>
  config.degree === 'bare'
    ? `${config.tabs} tabs, bare page (lower bound)`
    : `${config.tabs} tabs, degree ${config.degree}`

/** The row of a configuration of pando: its medians, and the target on 100 tabs. */
function joinRow(config: Config, runs: readonly RunRecord[]): Row {
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
    label: configLabel(config),
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
}

/** The row of the bare page: what the machine allows any page, no target. */
function bareRow(config: Config, runs: readonly RunRecord[]): Row {
  const ok = succeeded<BareRecord>(runs)
  return {
    label: configLabel(config),
    config,
    figures: {
      medianMs: medianOf(ok, (run) => run.medianMs),
      slowestMs: medianOf(ok, (run) => run.slowestMs),
      tabsWithoutItem: medianOf(ok, (run) => run.tabsWithoutItem),
      failedRuns: runs.length - ok.length,
    },
    runs,
  }
}

/**
 * join: 10, 50 and 100 tabs opened at once on a plain URL (what volunteers get), at degree 10 and 3: each tab's
 * time from its load event to its first item, failed join attempts, depths. Beside them, the same number of
 * bare pages, whose only work is one WebSocket round trip: the lower bound this machine sets on any join.
 */
export async function join(context: BenchContext): Promise<ScenarioResult> {
  const tabs = await context.tabs()
  const configs: Config[] = context.sizes.joinTabs.flatMap((count) => [
    ...context.sizes.joinDegrees.map((degree) => ({ tabs: count, degree })),
    { tabs: count, degree: 'bare' as const },
  ])
  const records = await measureAll<Config, JoinRecord | BareRecord>(
    configs,
    context.options.runs,
    (config) =>
      config.degree === 'bare'
        ? measureBare(tabs, config.tabs)
        : measureJoin(tabs, { ...config, degree: config.degree }),
    (config, run, record) =>
      context.log(
        `join: ${configLabel(config)}, run ${run + 1}: ${
          record.error ??
          `median ${Math.round(Number(record['medianMs']))} ms, slowest ${Math.round(Number(record['slowestMs']))} ms`
        }`,
      ),
  )
  const rows: Row[] = configs.map((config) =>
    (config.degree === 'bare' ? bareRow : joinRow)(config, records.get(config) ?? []),
  )
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
      '"first item": the tab shows #status "working" (or a processed count) for the first time, seen by a MutationObserver in the tab; "joined": it shows "waiting-for-work" (a parent and a Worker) for the first time',
      `failed joins: /join WebSockets a tab opened (one per attempt) beyond the one that joined; n/a when no tab tried the tree`,
      `items are held ${HOLD_MS} ms each without CPU, batch size ${BATCH_SIZE}, so that every tab can hold items at once`,
      'bare page (lower bound): as many tabs of a page whose only work after its load event is to open a WebSocket to its server and hear one message; "median" and "slowest" are load event → that message. One Chromium serializes WebSocket handshakes to one server (RFC 6455 §4.1, 10 ms apart at least), and the tabs share 2 cores: no join can beat this row',
    ],
  }
}
