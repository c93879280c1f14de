import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { MODULES, TRANSPORT_NAMES, formatNumber, type BenchContext } from '../context.ts'
import { measureAll, succeeded, type Row, type ScenarioResult } from '../result.ts'
import { medianOf } from '../stats.ts'
import { placementLabel, streamItems, type Placement, type StreamRecord } from '../stream.ts'
import { lineStream } from '../timed-pando.ts'

/** The issue's target: the rate with `--journal` at least this share of the rate without. */
const TARGET_SHARE = 0.9

interface JournalConfig {
  readonly placement: Placement
  readonly journal: boolean
}

interface JournalRecord extends StreamRecord {
  /** The journal's size at the end over the items; undefined without a journal. */
  readonly bytesPerItem: number | undefined
}

const labelOf = (config: JournalConfig): string =>
  `${placementLabel(config.placement)}, ${config.journal ? 'with --journal' : 'no journal'}`

/**
 * journal: trivial items through `--local` and through 1 tab, without and with `--journal`: the journal's
 * cost in items/s (the share of the rate without it) and its bytes per item.
 */
export async function journal(context: BenchContext): Promise<ScenarioResult> {
  const items = context.sizes.journalItems
  const placements: Placement[] = [{ kind: 'local' }, { kind: 'tabs', tabs: 1, transport: context.preferred }]
  const configs: JournalConfig[] = placements.flatMap((placement) => [
    { placement, journal: false },
    { placement, journal: true },
  ])
  const records = await measureAll(
    configs,
    context.options.runs,
    async (config) => {
      const dir = mkdtempSync(join(tmpdir(), 'pando-bench-journal-'))
      const file = join(dir, 'journal')
      try {
        const { record } = await streamItems(context, {
          module: MODULES.square,
          args: config.journal ? ['--journal', file] : [],
          placement: config.placement,
          input: () => lineStream(0, items),
          items,
        })
        const bytesPerItem = config.journal ? statSync(file).size / items : undefined
        return { ...record, bytesPerItem } satisfies JournalRecord
      } finally {
        rmSync(dir, { recursive: true, force: true })
      }
    },
    (config, run, record) =>
      context.log(
        `journal: ${labelOf(config)}, run ${run + 1}: ${
          record.error ?? `${formatNumber(Number(record['itemsPerSecond']))} items/s`
        }`,
      ),
  )
  const rateOf = (config: JournalConfig): number | undefined =>
    medianOf(succeeded<JournalRecord>(records.get(config) ?? []), (run) => run.itemsPerSecond)
  const rows: Row[] = configs.map((config) => {
    const runs = records.get(config) ?? []
    const ok = succeeded<JournalRecord>(runs)
    const rate = rateOf(config)
    const without = configs.find((other) => other.placement === config.placement && !other.journal)
    const baseline = without === undefined ? undefined : rateOf(without)
    const share =
      config.journal && rate !== undefined && baseline !== undefined && baseline > 0
        ? rate / baseline
        : undefined
    return {
      label: labelOf(config),
      config: { placement: config.placement, journal: config.journal, items },
      figures: {
        items,
        itemsPerSecond: rate,
        share,
        bytesPerItem: config.journal ? medianOf(ok, (run) => run.bytesPerItem ?? 0) : undefined,
        failedRuns: runs.length - ok.length,
      },
      ...(config.journal
        ? {
            target: {
              text: `≥ ${TARGET_SHARE * 100} % of the rate without`,
              met: share === undefined ? undefined : share >= TARGET_SHARE,
            },
          }
        : {}),
      runs,
    }
  })
  return {
    name: 'journal',
    measures: `the cost of --journal on ${formatNumber(items)} trivial items`,
    columns: [
      { key: 'items', title: 'items' },
      { key: 'itemsPerSecond', title: 'items/s' },
      { key: 'share', title: 'share of no journal', digits: 2 },
      { key: 'bytesPerItem', title: 'journal bytes/item', digits: 1 },
      { key: 'failedRuns', title: 'failed runs' },
    ],
    rows,
    notes: [
      `the tab uses ${TRANSPORT_NAMES[context.preferred]}; stdout is a pipe read by the harness, so the journal records each completed write`,
      'items/s from the first output line to the last, as in overhead; share: median with --journal over median without, same placement',
    ],
  }
}
