import { InvariantError, type VolunteerReport } from '@pando/protocol'
import uPlot from 'uplot'
import { truncate } from '../format.ts'
import { OTHERS_KEY, stack, type HistoryData } from '../history.ts'
import { OTHERS_COLOR, lighten, type ColorRegistry } from '../palette.ts'
import { BAR_LABEL_LENGTH, MIN_TIME_SPAN } from '../constants.ts'

const AXIS_COLOR = '#6b7280'
const GRID_COLOR = '#eceff3'
const FONT = '12px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif'
const CPU_COLOR = '#4e79a7'
const TRANSFER_COLOR = '#f28e2b'

/** Height of one volunteer's row in the bar charts, in CSS pixels. */
const BAR_ROW = 26
/** Widest device name shown beside a bar, in CSS pixels (its length in characters: `BAR_LABEL_LENGTH`). */
const BAR_LABEL_WIDTH = 170

let measuring: CanvasRenderingContext2D | null | undefined

/** Width of `labels` written in the axes' font, in CSS pixels. */
function textWidth(labels: readonly string[]): number {
  measuring ??= document.createElement('canvas').getContext('2d')
  if (measuring === null) return BAR_LABEL_WIDTH
  measuring.font = FONT
  return Math.max(0, ...labels.map((label) => measuring?.measureText(label).width ?? 0))
}

function bars(options: uPlot.Series.BarsPathBuilderOpts): uPlot.Series.PathBuilder {
  const factory = uPlot.paths.bars
  if (factory === undefined) throw new InvariantError('this uPlot build has no bars')
  return factory(options)
}

function axis(overrides: uPlot.Axis = {}): uPlot.Axis {
  return {
    stroke: AXIS_COLOR,
    font: FONT,
    grid: { stroke: GRID_COLOR, width: 1 },
    ticks: { stroke: GRID_COLOR, width: 1, size: 4 },
    ...overrides,
  }
}

/** Width available to a chart in `container`, in CSS pixels. */
function widthOf(container: HTMLElement): number {
  return Math.max(240, Math.floor(container.clientWidth))
}

/** Keeps a chart as wide as its container. */
function followWidth(container: HTMLElement, chart: () => uPlot | undefined): void {
  new ResizeObserver(() => {
    const current = chart()
    if (current !== undefined && widthOf(container) !== current.width) {
      current.setSize({ width: widthOf(container), height: current.height })
    }
  }).observe(container)
}

/**
 * The time axis' range: the statuses' times, and at least the last 20 s (uPlot would otherwise spread a
 * single time, or none, over years, and two close ones over milliseconds).
 */
function timeRange(_chart: uPlot, min: number | null, max: number | null): uPlot.Range.MinMax {
  const end = max ?? Date.now() / 1000
  return [Math.min(min ?? end, end - MIN_TIME_SPAN), end]
}

/** Throughput over time, stacked per volunteer (uPlot areas drawn top band first). */
export class HistoryChart {
  readonly #container: HTMLElement
  readonly #colors: ColorRegistry
  #chart: uPlot | undefined
  #keys = ''

  constructor(container: HTMLElement, colors: ColorRegistry) {
    this.#container = container
    this.#colors = colors
    followWidth(container, () => this.#chart)
  }

  update(history: HistoryData): void {
    const top = [...history.series].reverse()
    const data: uPlot.AlignedData = [history.times, ...stack(history.series.map((s) => s.values)).reverse()]
    const keys = top.map((series) => `${series.key}\u0001${series.label}`).join('\u0002')
    if (this.#chart !== undefined && keys === this.#keys) {
      this.#chart.setData(data)
      return
    }
    this.#keys = keys
    this.#chart?.destroy()
    const colorOf = (key: string): string => (key === OTHERS_KEY ? OTHERS_COLOR : this.#colors.colorOf(key))
    this.#chart = new uPlot(
      {
        width: widthOf(this.#container),
        height: 240,
        legend: { live: false },
        cursor: { points: { show: false }, drag: { x: false, y: false } },
        scales: {
          x: { time: true, range: timeRange },
          y: { range: (_u, _min, max) => [0, max > 0 ? max * 1.1 : 1] },
        },
        axes: [axis(), axis({ size: 48 })],
        series: [
          { label: 'time' },
          ...top.map((series): uPlot.Series => ({
            label: truncate(series.label, 24),
            stroke: colorOf(series.key),
            fill: lighten(colorOf(series.key), 0.3),
            width: 1.5,
            points: { show: false },
          })),
        ],
      },
      data,
      this.#container,
    )
  }
}

/** How a bar chart's value axis writes its values. */
export type AxisFormat = (value: number) => string

interface BarSeries {
  readonly label: string
  readonly color: (index: number) => string
  readonly value: (report: VolunteerReport) => number
  readonly align?: -1 | 0 | 1
}

/** Horizontal bars, one row per volunteer (device names on the left), one or two bars per row. */
class VolunteerBars {
  readonly #container: HTMLElement
  readonly #series: readonly BarSeries[]
  readonly #maximum: (max: number) => number
  readonly #axisValue: AxisFormat
  #chart: uPlot | undefined
  #layout = ''
  #labels: string[] = []
  #colors: string[][] = []

  constructor(
    container: HTMLElement,
    series: readonly BarSeries[],
    maximum: (max: number) => number,
    axisValue: AxisFormat,
  ) {
    this.#container = container
    this.#series = series
    this.#maximum = maximum
    this.#axisValue = axisValue
    followWidth(container, () => this.#chart)
  }

  update(reports: readonly VolunteerReport[]): void {
    this.#labels = reports.map((r) => truncate(r.deviceName || r.id, BAR_LABEL_LENGTH))
    this.#colors = this.#series.map((series) => reports.map((_, index) => series.color(index)))
    const data: uPlot.AlignedData = [
      reports.map((_, index) => index),
      ...this.#series.map((series) => reports.map(series.value)),
    ]
    const layout = `${reports.length}\u0001${this.#labels.join('\u0002')}`
    if (this.#chart !== undefined && layout === this.#layout) {
      this.#chart.setData(data)
      return
    }
    this.#layout = layout
    this.#chart?.destroy()
    this.#chart = new uPlot(this.#options(reports.length), data, this.#container)
  }

  /** The chart of `count` rows: labels on the left, the values along the bottom, one or two bars a row. */
  #options(count: number): uPlot.Options {
    return {
      width: widthOf(this.#container),
      height: Math.max(120, 44 + count * BAR_ROW),
      legend: { show: this.#series.length > 1, live: false },
      cursor: { points: { show: false }, drag: { x: false, y: false } },
      scales: {
        x: { time: false, ori: 1, dir: -1, range: () => [-0.5, Math.max(0.5, count - 0.5)] },
        y: { ori: 0, dir: 1, range: (_u, _min, max) => [0, this.#maximum(max)] },
      },
      axes: [
        axis({
          side: 3,
          size: Math.min(BAR_LABEL_WIDTH, Math.ceil(textWidth(this.#labels)) + 14),
          grid: { show: false },
          ticks: { show: false },
          splits: () => this.#labels.map((_, index) => index),
          values: (_u, splits) => splits.map((index) => this.#labels[index] ?? ''),
        }),
        axis({
          side: 2,
          size: 36,
          space: 48,
          values: (_u, splits) => splits.map((v) => this.#axisValue(v)),
        }),
      ],
      series: [
        { label: 'volunteer' },
        ...this.#series.map((series, index) => this.#barSeries(series, index)),
      ],
    }
  }

  /** One series of bars, each bar in its volunteer's colour. */
  #barSeries(series: BarSeries, seriesIndex: number): uPlot.Series {
    return {
      label: series.label,
      width: 0,
      fill: series.color(0),
      points: { show: false },
      paths: bars({
        size: [this.#series.length > 1 ? 0.38 : 0.68, 22],
        align: series.align ?? 0,
        radius: [0.2, 0],
        disp: {
          fill: {
            unit: 3 as uPlot.Series.BarsPathBuilderFacetUnit,
            values: () => this.#colors[seriesIndex] ?? [],
          },
        },
      }),
    }
  }
}

/** Each volunteer's throughput now, in its colour. */
export class ThroughputBars {
  readonly #bars: VolunteerBars
  #reports: readonly VolunteerReport[] = []

  constructor(container: HTMLElement, colors: ColorRegistry) {
    this.#bars = new VolunteerBars(
      container,
      [
        {
          label: 'items/s',
          color: (index) => {
            const report = this.#reports[index]
            return report === undefined ? OTHERS_COLOR : colors.colorOf(report.id)
          },
          value: (report) => report.throughput,
        },
      ],
      (max) => (max > 0 ? max * 1.1 : 1),
      (value) => String(Number(value.toPrecision(6))),
    )
  }

  update(reports: readonly VolunteerReport[]): void {
    this.#reports = reports
    this.#bars.update(reports)
  }
}

/** Each volunteer's CPU and data-transfer load, side by side, in percent. */
export class LoadBars {
  readonly #bars: VolunteerBars

  constructor(container: HTMLElement) {
    this.#bars = new VolunteerBars(
      container,
      [
        {
          label: 'busy',
          color: () => CPU_COLOR,
          value: (report) => report.cpuUsage,
          align: -1,
        },
        {
          label: 'data transfer',
          color: () => TRANSFER_COLOR,
          value: (report) => report.dataTransferLoad,
          align: 1,
        },
      ],
      (max) => Math.max(100, max * 1.05),
      (value) => `${value}%`,
    )
  }

  update(reports: readonly VolunteerReport[]): void {
    this.#bars.update(reports)
  }
}
