import { readFileSync } from 'node:fs'
import { MODULES, TRANSPORT_NAMES, formatNumber, type BenchContext } from '../context.ts'
import { now } from '../clock.ts'
import { measureAll, succeeded, type Row, type ScenarioResult } from '../result.ts'
import { medianOf } from '../stats.ts'
import { placementLabel, streamItems, type Placement, type StreamRecord } from '../stream.ts'
import { lineStream, type TimedPando } from '../timed-pando.ts'

const TARGET_GROWTH_MB = 30
const SAMPLE_INTERVAL_MS = 100
const KB_PER_MB = 1024

/** One sample: when, the root's resident memory, and the results out by then. */
interface Sample {
  readonly at: number
  readonly rssKb: number
  readonly lines: number
}

interface MemorySummary {
  /** Resident memory when the first result came out: after start-up and bundling. */
  readonly baselineMb: number
  readonly peakMb: number
  /** Peak minus baseline. */
  readonly growthMb: number
  /** Highest in the second half of the output minus highest in the first half: growth with input length. */
  readonly lateGrowthMb: number
}

interface MemoryRecord extends StreamRecord, MemorySummary {
  readonly samples: readonly Sample[]
}

/** VmRSS of process `pid` in kB, `undefined` once it is gone. */
function residentKb(pid: number): number | undefined {
  try {
    const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
    return match === null ? undefined : Number(match[1])
  } catch {
    return undefined
  }
}

function sampleMemory(pando: TimedPando, samples: Sample[]): void {
  const pid = pando.child.pid
  if (pid === undefined) return
  const timer = setInterval(() => {
    const rssKb = residentKb(pid)
    if (rssKb !== undefined) samples.push({ at: now(), rssKb, lines: pando.lines() })
  }, SAMPLE_INTERVAL_MS)
  void pando.exited.finally(() => clearInterval(timer))
}

const maxRss = (samples: readonly Sample[]): number => Math.max(0, ...samples.map((sample) => sample.rssKb))

function summarize(samples: readonly Sample[], items: number): MemorySummary {
  const streaming = samples.filter((sample) => sample.lines > 0)
  const baseline = streaming[0]?.rssKb
  if (baseline === undefined) throw new Error('no memory sample while results came out: too few items')
  const peak = maxRss(streaming)
  const firstHalf = streaming.filter((sample) => sample.lines <= items / 2)
  const secondHalf = streaming.filter((sample) => sample.lines > items / 2)
  return {
    baselineMb: baseline / KB_PER_MB,
    peakMb: peak / KB_PER_MB,
    growthMb: (peak - baseline) / KB_PER_MB,
    lateGrowthMb: (maxRss(secondHalf) - maxRss(firstHalf)) / KB_PER_MB,
  }
}

/**
 * memory: the root's resident memory (VmRSS, every 100 ms) while 1,000,000 trivial items stream through
 * `--local` and through 1 tab: its growth from the first result to the peak, and the peak.
 */
export async function memory(context: BenchContext): Promise<ScenarioResult> {
  const items = context.sizes.memoryItems
  const configs: Placement[] = [{ kind: 'local' }, { kind: 'tabs', tabs: 1, transport: context.preferred }]
  const records = await measureAll(
    configs,
    context.options.runs,
    async (placement) => {
      const samples: Sample[] = []
      const { record } = await streamItems(context, {
        module: MODULES.square,
        placement,
        input: () => lineStream(0, items),
        items,
        onStart: (pando) => sampleMemory(pando, samples),
      })
      return { ...record, ...summarize(samples, items), samples } satisfies MemoryRecord
    },
    (placement, run, record) =>
      context.log(
        `memory: ${placementLabel(placement)}, run ${run + 1}: ${
          record.error ??
          `growth ${formatNumber(Number(record['growthMb']), 1)} MB, peak ${formatNumber(Number(record['peakMb']), 1)} MB`
        }`,
      ),
  )
  const rows: Row[] = configs.map((placement) => {
    const runs = records.get(placement) ?? []
    const ok = succeeded<MemoryRecord>(runs)
    const growthMb = medianOf(ok, (run) => run.growthMb)
    return {
      label: placementLabel(placement),
      config: { placement, items },
      figures: {
        items,
        itemsPerSecond: medianOf(ok, (run) => run.itemsPerSecond),
        baselineMb: medianOf(ok, (run) => run.baselineMb),
        peakMb: medianOf(ok, (run) => run.peakMb),
        growthMb,
        lateGrowthMb: medianOf(ok, (run) => run.lateGrowthMb),
        reorderPeak: undefined,
        failedRuns: runs.length - ok.length,
      },
      target: {
        text: `growth ≤ ${TARGET_GROWTH_MB} MB`,
        met: growthMb === undefined ? undefined : growthMb <= TARGET_GROWTH_MB,
      },
      runs,
    }
  })
  return {
    name: 'memory',
    measures: `the root's RSS while ${formatNumber(items)} trivial items stream through it`,
    columns: [
      { key: 'items', title: 'items' },
      { key: 'itemsPerSecond', title: 'items/s' },
      { key: 'baselineMb', title: 'at 1st result (MB)', digits: 1 },
      { key: 'peakMb', title: 'peak (MB)', digits: 1 },
      { key: 'growthMb', title: 'growth (MB)', digits: 1 },
      { key: 'lateGrowthMb', title: '2nd half − 1st (MB)', digits: 1 },
      { key: 'reorderPeak', title: 'reorder peak' },
      { key: 'failedRuns', title: 'failed runs' },
    ],
    rows,
    notes: [
      `the tab uses ${TRANSPORT_NAMES[context.preferred]}; RSS is VmRSS of the pando process, sampled every ${SAMPLE_INTERVAL_MS} ms`,
      'growth: peak minus the RSS at the first result (start-up and bundling excluded); "2nd half − 1st": the highest RSS in the second half of the output minus the highest in the first half, which stays near 0 when memory does not grow with input length',
      'reorder peak: n/a, pando does not report its reorder buffer',
    ],
  }
}
