import { statisticsOf } from '@pando/protocol'
import { describe, expect, it } from 'vitest'
import { ReportBuilder, type ReportPlace } from '../src/report-builder.ts'

const PLACE: ReportPlace = {
  id: 'tab-1',
  depth: 2,
  parent: 'tab-0',
  children: 3,
  transport: 'webrtc',
  inFlight: 17,
}

/** A builder on a clock the test moves by hand, starting at `start` ms since the epoch. */
function builderAt(start = 1_700_000_000_000): { builder: ReportBuilder; advance: (ms: number) => void } {
  let now = start
  return { builder: new ReportBuilder(() => now), advance: (ms) => (now += ms) }
}

const measured = (items: number, itemTime: number) => ({
  items,
  itemTime,
  ownTime: itemTime,
  reported: undefined,
})

describe('ReportBuilder', () => {
  describe('#build', () => {
    it('keeps the rates of the last whole interval in the final report, with the counts as they stand', () => {
      const { builder, advance } = builderAt()
      advance(1_000)
      builder.recordFigures(measured(10, 1_000))
      const last = builder.build('Phone', PLACE)
      advance(100)
      builder.recordOutcomes([{ id: 0, ok: true, result: '0' }])
      const final = builder.final('Phone', { ...PLACE, inFlight: 0 })
      expect(final).toEqual({ ...last, inFlight: 0, processed: 1, timestamp: last.timestamp + 100 })
      expect(final.throughput).toBe(10)
    })

    it('gives the busy share per Worker, never over 100 % when items overlap or a batch ends late', () => {
      const { builder, advance } = builderAt()
      advance(1_000)
      // 4 items of 1 s that waited at once in each of 2 Workers, and a batch begun in the last interval.
      builder.recordFigures(measured(8, 8_000))
      builder.recordFigures(measured(1, 900))
      const offer = { workers: 2, cpuLimit: 100, paused: false }
      expect(builder.build('Phone', PLACE, offer).cpuUsage).toBe(100)
      advance(1_000)
      builder.recordFigures(measured(1, 1_000))
      expect(builder.build('Phone', PLACE, offer).cpuUsage).toBe(50)
    })

    it("measures items and worker time when the module reports nothing, and copies the tab's place", () => {
      const { builder, advance } = builderAt()
      advance(2_000)
      builder.recordFigures(measured(30, 1_500))
      builder.recordFigures(measured(10, 500))
      builder.recordOutcomes([
        { id: 0, ok: true, result: '0' },
        { id: 1, ok: false, error: { name: 'Error', message: 'no' } },
      ])
      expect(builder.build('Phone', PLACE)).toEqual({
        ...PLACE,
        deviceName: 'Phone',
        timestamp: 1_700_000_002_000,
        lastReportInterval: 2_000,
        nbItems: 40,
        units: 'items',
        cpuTime: 2_000,
        dataTransferTime: 0,
        throughput: 20,
        cpuUsage: 100,
        dataTransferLoad: 0,
        throughputStats: { average: 20, standardDeviation: 0, maximum: 20, minimum: 20 },
        cpuUsageStats: { average: 100, standardDeviation: 0, maximum: 100, minimum: 100 },
        dataTransferStats: { average: 0, standardDeviation: 0, maximum: 0, minimum: 0 },
        processed: 2,
        failures: 1,
        workers: 1,
        cpuLimit: 100,
        paused: false,
      })
    })

    it('says what the tab offers: its Workers, its CPU use, whether it is paused', () => {
      const { builder } = builderAt()
      const offer = { workers: 2, cpuLimit: 50, paused: true }
      expect(builder.build('Phone', PLACE, offer)).toMatchObject(offer)
    })

    it('starts a new interval at each report: figures are per interval, totals are not', () => {
      const { builder, advance } = builderAt()
      advance(1_000)
      builder.recordFigures(measured(5, 100))
      builder.recordOutcomes([{ id: 0, ok: true, result: '0' }])
      builder.build('', PLACE)
      advance(4_000)
      const second = builder.build('', PLACE)
      expect(second).toMatchObject({ lastReportInterval: 4_000, nbItems: 0, throughput: 0, processed: 1 })
    })

    it('gives statistics over every interval so far with the true standard deviation', () => {
      const { builder, advance } = builderAt()
      const throughputs = [10, 20, 60, 30]
      let last
      for (const throughput of throughputs) {
        advance(1_000)
        builder.recordFigures(measured(throughput, 0))
        last = builder.build('', PLACE)
      }
      const expected = statisticsOf(throughputs)
      expect(last?.throughputStats).toEqual({
        average: 30,
        standardDeviation: Math.round(expected.standardDeviation * 1000) / 1000,
        maximum: 60,
        minimum: 10,
      })
      // The population standard deviation of 10, 20, 60, 30 is √350; the original's mean absolute deviation
      // would have said 15.
      expect(last?.throughputStats.standardDeviation).toBeCloseTo(Math.sqrt(350), 3)
    })

    it("uses the module's report() figures instead, from its first call on, in its units", () => {
      const { builder, advance } = builderAt()
      advance(3_000)
      builder.recordFigures({
        items: 4,
        itemTime: 400,
        ownTime: 400,
        reported: { calls: 2, nbItems: 12, units: 'BigNums', cpuTime: 1_500, dataTransferTime: 600 },
      })
      expect(builder.build('', PLACE)).toMatchObject({
        nbItems: 12,
        units: 'BigNums',
        cpuTime: 1_500,
        dataTransferTime: 600,
        throughput: 4,
        cpuUsage: 50,
        dataTransferLoad: 20,
      })
      // An interval with no call: nothing was reported, in the module's units still.
      advance(3_000)
      builder.recordFigures(measured(4, 400))
      expect(builder.build('', PLACE)).toMatchObject({ nbItems: 0, units: 'BigNums', cpuTime: 0 })
    })

    it('reports zero rates over an empty interval rather than dividing by zero', () => {
      const { builder } = builderAt()
      builder.recordFigures(measured(3, 30))
      expect(builder.build('', PLACE)).toMatchObject({
        lastReportInterval: 0,
        nbItems: 3,
        throughput: 0,
        cpuUsage: 0,
      })
    })
  })
})
