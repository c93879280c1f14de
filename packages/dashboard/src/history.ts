import type { MonitorStatus } from '@pando/protocol'

/** One band of the throughput-over-time chart. */
export interface HistorySeries {
  /** A volunteer id, or `OTHERS_KEY`. */
  readonly key: string
  readonly label: string
  /** Items/s at each time; 0 where the volunteer was absent. */
  readonly values: number[]
}

export interface HistoryData {
  /** Times of the statuses, in seconds since the epoch (uPlot's unit). */
  readonly times: number[]
  readonly series: HistorySeries[]
}

/** Key of the band that sums the volunteers beyond the chart's limit. */
export const OTHERS_KEY = '\u0000others'

interface Sample {
  readonly time: number
  readonly throughputs: ReadonlyMap<string, number>
}

/**
 * The last `capacity` statuses' per-volunteer throughputs, as series for a stacked chart: volunteers in
 * order of first appearance, the first `maxSeries - 1` on their own and the rest summed as "others" when
 * there are more than `maxSeries`. A status no newer than the last one (sent again after a reconnection) is
 * ignored.
 */
export class ThroughputHistory {
  readonly #capacity: number
  readonly #maxSeries: number
  readonly #samples: Sample[] = []
  readonly #labels = new Map<string, string>()

  constructor(capacity: number, maxSeries: number) {
    this.#capacity = capacity
    this.#maxSeries = Math.max(1, maxSeries)
  }

  add(status: MonitorStatus): void {
    const last = this.#samples.at(-1)
    if (last !== undefined && status.timestamp <= last.time * 1000) return
    const throughputs = new Map<string, number>()
    for (const report of status.volunteers) {
      throughputs.set(report.id, report.throughput)
      this.#labels.set(report.id, report.deviceName || report.id)
    }
    this.#samples.push({ time: status.timestamp / 1000, throughputs })
    if (this.#samples.length > this.#capacity) this.#samples.shift()
  }

  data(): HistoryData {
    const ids = new Set<string>()
    for (const sample of this.#samples) for (const id of sample.throughputs.keys()) ids.add(id)
    for (const id of this.#labels.keys()) if (!ids.has(id)) this.#labels.delete(id)
    const all = [...ids]
    const own = all.length > this.#maxSeries ? all.slice(0, this.#maxSeries - 1) : all
    const others = all.slice(own.length)
    const series: HistorySeries[] = own.map((id) => ({
      key: id,
      label: this.#labels.get(id) ?? id,
      values: this.#samples.map((sample) => sample.throughputs.get(id) ?? 0),
    }))
    if (others.length > 0) {
      series.push({
        key: OTHERS_KEY,
        label: `${others.length} others`,
        values: this.#samples.map((sample) =>
          others.reduce((sum, id) => sum + (sample.throughputs.get(id) ?? 0), 0),
        ),
      })
    }
    return { times: this.#samples.map((sample) => sample.time), series }
  }
}

/** Running sums of the series, bottom first: `stack([[1, 2], [3, 4]])` is `[[1, 2], [4, 6]]`. */
export function stack(series: readonly (readonly number[])[]): number[][] {
  const result: number[][] = []
  let below: readonly number[] = []
  for (const values of series) {
    const summed = values.map((value, index) => value + (below[index] ?? 0))
    result.push(summed)
    below = summed
  }
  return result
}
