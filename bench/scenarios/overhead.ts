import { seqLines } from '../../harness/pando-process.ts'
import { MODULES, formatNumber, type BenchContext } from '../context.ts'
import { measureAll, succeeded, type Row, type ScenarioResult } from '../result.ts'
import { medianOf } from '../stats.ts'
import { placementLabel, streamItems, type Placement, type StreamRecord } from '../stream.ts'

/** The issue's target: through one tab, with default options. */
const TARGET_ITEMS_PER_SECOND = 100_000

interface Config {
  readonly placement: Placement
  readonly batchSize: number | undefined
  readonly items: number
}

function label(config: Config): string {
  if (config.placement.kind === 'local') return placementLabel(config.placement)
  const batch = config.batchSize === undefined ? 'default batch' : `batch ${config.batchSize}`
  return `${placementLabel(config.placement)}, ${batch}`
}

/**
 * overhead: a trivial function (a square, no delay) streamed through `--local`, 1 tab and 2 tabs, over each
 * transport, at batch sizes 1, 10, 100 and the default (1 and the default with `--quick`): items/s from the first output line to the last.
 */
export async function overhead(context: BenchContext): Promise<ScenarioResult> {
  const { sizes } = context
  const configs: Config[] = [
    { placement: { kind: 'local' }, batchSize: undefined, items: sizes.overheadItems },
  ]
  for (const transport of context.transports) {
    for (const tabs of [1, 2]) {
      for (const batchSize of sizes.overheadBatchSizes) {
        const items = batchSize === 1 ? sizes.overheadBatchOneItems : sizes.overheadItems
        configs.push({ placement: { kind: 'tabs', tabs, transport }, batchSize, items })
      }
    }
  }
  const records = await measureAll(
    configs,
    context.options.runs,
    async (config) => {
      const { record } = await streamItems(context, {
        module: MODULES.square,
        args: config.batchSize === undefined ? [] : ['--batch-size', String(config.batchSize)],
        placement: config.placement,
        input: () => seqLines(0, config.items),
        items: config.items,
      })
      return record
    },
    (config, run, record) =>
      context.log(
        `overhead: ${label(config)}, run ${run + 1}: ${
          record.error ?? `${formatNumber(Number(record['itemsPerSecond']))} items/s`
        }`,
      ),
  )
  const rows: Row[] = configs.map((config) => {
    const runs = records.get(config) ?? []
    const ok = succeeded<StreamRecord>(runs)
    const itemsPerSecond = medianOf(ok, (run) => run.itemsPerSecond)
    const isTargetRow =
      config.placement.kind === 'tabs' && config.placement.tabs === 1 && config.batchSize === undefined
    return {
      label: label(config),
      config: { ...config, batchSize: config.batchSize ?? 'default' },
      figures: {
        items: config.items,
        itemsPerSecond,
        streamSeconds: medianOf(ok, (run) => run.streamSeconds),
        failedRuns: runs.length - ok.length,
      },
      ...(isTargetRow
        ? {
            target: {
              text: `≥ ${formatNumber(TARGET_ITEMS_PER_SECOND)} items/s`,
              met: itemsPerSecond === undefined ? undefined : itemsPerSecond >= TARGET_ITEMS_PER_SECOND,
            },
          }
        : {}),
      runs,
    }
  })
  return {
    name: 'overhead',
    measures: 'a trivial function (square, no delay): items/s from the first output line to the last',
    columns: [
      { key: 'items', title: 'items' },
      { key: 'itemsPerSecond', title: 'items/s' },
      { key: 'streamSeconds', title: 'first→last line (s)', digits: 2 },
      { key: 'failedRuns', title: 'failed runs' },
    ],
    rows,
    notes: [
      `batch size 1 streams ${formatNumber(sizes.overheadBatchOneItems)} items instead of ${formatNumber(
        sizes.overheadItems,
      )}: it moves only a few thousand items/s`,
      'the target applies to one tab with default options (the rows "1 tab, …, default batch")',
    ],
  }
}
