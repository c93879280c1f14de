import { parseArgs } from 'node:util'

export const SCENARIOS = [
  'overhead',
  'scaling',
  'workers',
  'far',
  'join',
  'recovery',
  'memory',
  'journal',
  'spread',
  'replicas',
  'networks',
] as const
export type ScenarioName = (typeof SCENARIOS)[number]

/** Transports a tab can be told to use (see `Transport` in tabs.ts); `auto` is what a plain URL gets. */
export const FORCED_TRANSPORTS = ['websocket', 'webrtc'] as const
export type ForcedTransport = (typeof FORCED_TRANSPORTS)[number]

export interface BenchOptions {
  readonly quick: boolean
  readonly only: readonly ScenarioName[]
  readonly runs: number
  readonly transports: readonly ForcedTransport[]
  /** Directory of the JSON file. */
  readonly out: string
}

/** How much each scenario does: the sizes, or fewer for a smoke run (`--quick`). */
export interface Sizes {
  /** Batch sizes the overhead scenario compares; `undefined` is pando's default (no `--batch-size`). */
  readonly overheadBatchSizes: readonly (number | undefined)[]
  readonly overheadItems: number
  /** Batch size 1 moves about 2,000 items/s: fewer items there. */
  readonly overheadBatchOneItems: number
  readonly scalingLocalItems: number
  /** Items per tab: 1 tab gets this many, 2 tabs twice as many. */
  readonly scalingItemsPerTab: number
  /** Items of the far scenario, per round trip. */
  readonly farItems: number
  /** Round trips of the far scenario, in ms. */
  readonly farRoundTrips: readonly number[]
  readonly joinTabs: readonly number[]
  readonly joinDegrees: readonly number[]
  readonly memoryItems: number
  /** Items of the journal scenario, per configuration. */
  readonly journalItems: number
  /** Items of 1 s of the spread scenario (over 4 tabs). */
  readonly spreadWaitItems: number
  /** CPU-bound items of the spread scenario per tab, by item size in ms. */
  readonly spreadCpuItemsPerTab: Readonly<Record<10 | 150, number>>
  /** Tabs on each of the two tab hosts of a setting of the networks scenario. */
  readonly networkTabsPerHost: number
}

export const FULL_SIZES: Sizes = {
  overheadBatchSizes: [1, 10, 100, undefined],
  overheadItems: 200_000,
  overheadBatchOneItems: 20_000,
  scalingLocalItems: 500,
  scalingItemsPerTab: 1_000,
  farItems: 500,
  farRoundTrips: [0, 20, 50, 100],
  joinTabs: [10, 50, 100],
  joinDegrees: [10, 3],
  memoryItems: 1_000_000,
  journalItems: 200_000,
  spreadWaitItems: 200,
  spreadCpuItemsPerTab: { 10: 1_000, 150: 60 },
  networkTabsPerHost: 4,
}

export const QUICK_SIZES: Sizes = {
  overheadBatchSizes: [1, undefined],
  overheadItems: 10_000,
  overheadBatchOneItems: 1_000,
  scalingLocalItems: 50,
  scalingItemsPerTab: 100,
  farItems: 100,
  farRoundTrips: [0, 50],
  joinTabs: [10],
  joinDegrees: [10, 3],
  memoryItems: 100_000,
  journalItems: 20_000,
  spreadWaitItems: 40,
  spreadCpuItemsPerTab: { 10: 200, 150: 20 },
  networkTabsPerHost: 2,
}

export const USAGE = `Usage: npm run bench -- [OPTIONS]   (or: node scripts/loopback-only.mjs tsx bench/run.ts [OPTIONS])

Runs pando's benchmarks through the real CLI and real headless Chromium tabs, prints a table per scenario
and writes every figure to bench-results/<date>.json.

Options:
  --only LIST         scenarios to run, comma-separated: ${SCENARIOS.join(', ')} (default: all)
  --quick             a short version for smoke tests: fewer items, one run each
  --runs N            runs of each configuration; the table shows their median (default: 3, 1 with --quick)
  --transports LIST   transports to measure where a scenario compares them: ${FORCED_TRANSPORTS.join(', ')}
                      (default: both; WebRTC is skipped when the volunteer page cannot use it)
  --out DIR           directory of the JSON file (default: bench-results)
  -h, --help          this help
`

export class OptionsError extends Error {
  override name = 'OptionsError'
}

function list<T extends string>(value: string | undefined, allowed: readonly T[], option: string): T[] {
  if (value === undefined) return [...allowed]
  const names = value.split(',').map((name) => name.trim())
  for (const name of names) {
    if (!(allowed as readonly string[]).includes(name)) {
      throw new OptionsError(`${option}: unknown "${name}" (choose among ${allowed.join(', ')})`)
    }
  }
  return allowed.filter((name) => names.includes(name))
}

/** The options, or `undefined` when help was asked for. */
export function parseOptions(argv: readonly string[]): BenchOptions | undefined {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      quick: { type: 'boolean', default: false },
      only: { type: 'string' },
      runs: { type: 'string' },
      transports: { type: 'string' },
      out: { type: 'string', default: 'bench-results' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  })
  if (values.help) return undefined
  const runs = values.runs === undefined ? (values.quick ? 1 : 3) : Number(values.runs)
  if (!Number.isInteger(runs) || runs < 1)
    throw new OptionsError(`--runs: a whole number of 1 or more, not "${values.runs}"`)
  return {
    quick: values.quick,
    only: list(values.only, SCENARIOS, '--only'),
    runs,
    transports: list(values.transports, FORCED_TRANSPORTS, '--transports'),
    out: values.out,
  }
}
