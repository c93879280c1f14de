import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  MAX_MONITORED_VOLUNTEERS,
  ProtocolError,
  RunningStatistics,
  combineReports,
  parseMonitorMessage,
  parseVolunteerReport,
  statisticsOf,
  toOriginalMonitoringStatus,
  treeOfReports,
  withoutStaleReports,
  type MonitorStatus,
  type VolunteerReport,
} from '../src/index.ts'

const ZERO = { average: 0, standardDeviation: 0, maximum: 0, minimum: 0 }

function report(overrides: Partial<VolunteerReport> = {}): VolunteerReport {
  return {
    id: 'a',
    deviceName: 'Laptop',
    timestamp: 1_700_000_000_000,
    lastReportInterval: 3_000,
    nbItems: 30,
    units: 'items',
    cpuTime: 1_500,
    dataTransferTime: 300,
    throughput: 10,
    cpuUsage: 50,
    dataTransferLoad: 10,
    throughputStats: { average: 9.5, standardDeviation: 0.5, maximum: 10, minimum: 9 },
    cpuUsageStats: { average: 50, standardDeviation: 0, maximum: 50, minimum: 50 },
    dataTransferStats: { average: 10, standardDeviation: 1.234, maximum: 11, minimum: 9 },
    depth: 1,
    parent: null,
    children: 0,
    transport: 'websocket',
    inFlight: 4,
    processed: 100,
    failures: 1,
    ...overrides,
  }
}

function status(volunteers: VolunteerReport[]): MonitorStatus {
  return {
    type: 'status',
    timestamp: 1_700_000_003_000,
    run: { startedAt: 1_700_000_000_000, elapsedMs: 3_000, itemsTotal: 1_000 },
    totals: {
      read: 200,
      done: 150,
      inFlight: 50,
      relent: 2,
      failed: 1,
      volunteers: volunteers.length,
      rate: 40,
      averageRate: 50,
    },
    volunteers,
    tree: treeOfReports(volunteers),
  }
}

/** Two-pass population statistics, the definition the running ones must match. */
function reference(values: number[]): { average: number; standardDeviation: number } {
  const average = values.reduce((a, b) => a + b, 0) / values.length
  const variance = values.reduce((sum, v) => sum + (v - average) ** 2, 0) / values.length
  return { average, standardDeviation: Math.sqrt(variance) }
}

describe('RunningStatistics', () => {
  it('gives zeros before any value', () => {
    expect(new RunningStatistics().snapshot()).toEqual(ZERO)
    expect(statisticsOf([])).toEqual(ZERO)
  })

  it('gives a true (population) standard deviation, not a mean absolute deviation', () => {
    const stats = statisticsOf([2, 4, 4, 4, 5, 5, 7, 9])
    expect(stats).toEqual({ average: 5, standardDeviation: 2, maximum: 9, minimum: 2 })
    // The original's "standard-deviation" of [0, 0, 3] was the mean absolute deviation, 4/3.
    expect(statisticsOf([0, 0, 3]).standardDeviation).toBeCloseTo(Math.sqrt(2), 12)
  })

  it('counts values and gives 0 deviation for one value', () => {
    const running = new RunningStatistics()
    running.add(-3)
    expect(running.count).toBe(1)
    expect(running.snapshot()).toEqual({ average: -3, standardDeviation: 0, maximum: -3, minimum: -3 })
  })

  it('stays accurate on large values with small differences', () => {
    const stats = statisticsOf([1e9 + 4, 1e9 + 7, 1e9 + 13, 1e9 + 16])
    expect(stats.average).toBe(1e9 + 10)
    expect(stats.standardDeviation).toBeCloseTo(Math.sqrt(22.5), 6)
  })

  it('matches the two-pass definition', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1 }), (values) => {
        const stats = statisticsOf(values)
        const expected = reference(values)
        // Welford and the two-pass formula round differently: compare with a tolerance relative to the scale.
        const tolerance = 1e-9 * Math.max(1, ...values.map(Math.abs))
        expect(Math.abs(stats.average - expected.average)).toBeLessThanOrEqual(tolerance)
        expect(Math.abs(stats.standardDeviation - expected.standardDeviation)).toBeLessThanOrEqual(tolerance)
        expect(stats.minimum).toBe(Math.min(...values))
        expect(stats.maximum).toBe(Math.max(...values))
      }),
    )
  })
})

describe('combineReports', () => {
  it('keeps one entry per volunteer, the latest by timestamp, in order of first appearance', () => {
    const oldA = report({ id: 'a', timestamp: 1_000, processed: 10 })
    const newA = report({ id: 'a', timestamp: 2_000, processed: 20 })
    const b = report({ id: 'b', timestamp: 1_500, parent: 'a', depth: 2 })
    const c = report({ id: 'c', timestamp: 500 })
    expect(combineReports([newA, b], [oldA, c])).toEqual([newA, b, c])
    expect(combineReports([oldA], [b], [newA])).toEqual([newA, b])
    expect(combineReports()).toEqual([])
  })

  it('breaks timestamp ties by the number of items processed', () => {
    const early = report({ timestamp: 1_000, processed: 10 })
    const late = report({ timestamp: 1_000, processed: 11 })
    expect(combineReports([late], [early])).toEqual([late])
    expect(combineReports([early], [late])).toEqual([late])
  })

  const arbitraryReport = fc
    .record({
      id: fc.constantFrom('a', 'b', 'c', 'd'),
      timestamp: fc.integer({ min: 0, max: 5 }),
      processed: fc.integer({ min: 0, max: 3 }),
      inFlight: fc.integer({ min: 0, max: 3 }),
    })
    .map((fields) => report(fields))
  const group = fc.array(arbitraryReport, { maxLength: 8 })
  const asSet = (reports: VolunteerReport[]): VolunteerReport[] =>
    [...reports].sort((x, y) => x.id.localeCompare(y.id))

  it('is commutative, associative and idempotent (how reports travel does not matter)', () => {
    fc.assert(
      fc.property(group, group, group, (x, y, z) => {
        expect(asSet(combineReports(x, y))).toEqual(asSet(combineReports(y, x)))
        expect(asSet(combineReports(combineReports(x, y), z))).toEqual(
          asSet(combineReports(x, combineReports(y, z))),
        )
        const once = combineReports(x, y)
        expect(combineReports(once, once)).toEqual(once)
      }),
    )
  })

  it('keeps, for each volunteer, a report with the largest timestamp seen', () => {
    fc.assert(
      fc.property(fc.array(group, { maxLength: 4 }), (groups) => {
        const combined = combineReports(...groups)
        const all = groups.flat()
        expect(new Set(combined.map((r) => r.id))).toEqual(new Set(all.map((r) => r.id)))
        expect(combined).toHaveLength(new Set(all.map((r) => r.id)).size)
        for (const entry of combined) {
          const latest = Math.max(...all.filter((r) => r.id === entry.id).map((r) => r.timestamp))
          expect(entry.timestamp).toBe(latest)
        }
      }),
    )
  })
})

describe('withoutStaleReports and treeOfReports', () => {
  it('drops reports older than the given age', () => {
    const fresh = report({ id: 'fresh', timestamp: 9_000 })
    const stale = report({ id: 'stale', timestamp: 1_000 })
    expect(withoutStaleReports([fresh, stale], 10_000, 5_000)).toEqual([fresh])
  })

  it('gives one edge per volunteer', () => {
    const reports = [report({ id: 'a' }), report({ id: 'b', parent: 'a', depth: 2 })]
    expect(treeOfReports(reports)).toEqual([
      { id: 'a', parent: null },
      { id: 'b', parent: 'a' },
    ])
  })
})

describe('toOriginalMonitoringStatus', () => {
  const a = report({ id: 'a', children: 1 })
  const b = report({ id: 'b', parent: 'a', depth: 2, deviceName: 'Phone', nbItems: 6, inFlight: 2 })
  const c = report({ id: 'c', transport: 'webrtc', inFlight: 3, throughput: 5 })
  const original = toOriginalMonitoringStatus(status([a, b, c]))

  it('has the original top-level shape, with ISO timestamps', () => {
    expect(Object.keys(original)).toEqual(['root', 'volunteers', 'timestamp'])
    expect(original.timestamp).toBe('2023-11-14T22:13:23.000Z')
  })

  it('lists every volunteer as {id, timestamp, lastReportInterval, performance}', () => {
    expect(Object.keys(original.volunteers)).toEqual(['a', 'b', 'c'])
    expect(original.volunteers.b).toEqual({
      id: 'b',
      timestamp: '2023-11-14T22:13:20.000Z',
      lastReportInterval: 3_000,
      performance: {
        id: 'b',
        cpuTime: 1_500,
        dataTransferTime: 300,
        nbItems: 6,
        units: 'items',
        deviceName: 'Phone',
        throughput: 10,
        throughputStats: { average: '9.50', 'standard-deviation': '0.50', maximum: '10.00', minimum: '9.00' },
        cpuUsage: 50,
        cpuUsageStats: { average: '50.00', 'standard-deviation': '0.00', maximum: '50.00', minimum: '50.00' },
        dataTransferLoad: 10,
        dataTransferStats: {
          average: '10.00',
          'standard-deviation': '1.23',
          maximum: '11.00',
          minimum: '9.00',
        },
      },
      nbItems: 6,
      deviceName: 'Phone',
    })
  })

  it('summarises the root over its direct children, as the original did', () => {
    const { root } = original
    expect(Object.keys(root.children)).toEqual(['a', 'c'])
    expect(root.children.a).toEqual(original.volunteers.a)
    expect(root.childrenUnprocessedInputs).toEqual({ a: 4, c: 3 })
    expect(root.childrenNb).toBe(3)
    expect(root.nbLeafNodes).toBe(2)
    expect(root.unprocessedInputs).toBe(50)
    expect(root.performance.throughput).toBe(15)
    expect(root.performance.nbItems).toBe(60)
    expect(root.performance.throughputStats).toEqual({
      minimum: 18,
      average: 19,
      maximum: 20,
      'standard-deviation': 1,
    })
    expect(root.lendStreamState.lendState).toEqual({ readNb: 200, sourcedNb: 150, pendingNb: 50 })
  })

  it('survives JSON and feeds the original analysis (sum of nbItems over sum of intervals per device)', () => {
    const parsed = JSON.parse(JSON.stringify(original)) as {
      volunteers: Record<string, { nbItems: number; lastReportInterval: number; deviceName: string }>
    }
    const phone = Object.values(parsed.volunteers).filter((v) => v.deviceName === 'Phone')
    const throughput =
      phone.reduce((sum, v) => sum + v.nbItems, 0) /
      phone.reduce((sum, v) => sum + v.lastReportInterval / 1000, 0)
    expect(throughput).toBe(2)
  })
})

describe('parseVolunteerReport', () => {
  it('accepts a well-formed report and drops unknown fields', () => {
    const sent = report()
    expect(parseVolunteerReport(JSON.stringify({ ...sent, extra: 'x' }))).toEqual(sent)
    expect(parseVolunteerReport(JSON.stringify(report({ parent: 'p', depth: 3 })))).toMatchObject({
      parent: 'p',
      depth: 3,
    })
  })

  it('keeps what the tab offers (its Workers, CPU use, pause) when it says, and leaves it out when not', () => {
    const offer = { workers: 3, cpuLimit: 50, paused: true }
    expect(parseVolunteerReport(JSON.stringify(report(offer)))).toEqual(report(offer))
    expect(parseVolunteerReport(JSON.stringify(report()))).not.toHaveProperty('workers')
  })

  it('cuts long device and unit names', () => {
    const parsed = parseVolunteerReport(JSON.stringify(report({ deviceName: 'x'.repeat(500) })))
    expect(parsed.deviceName).toHaveLength(100)
  })

  it.each<[string, unknown]>([
    ['not JSON', '{'],
    ['an array', '[]'],
    ['a negative count', { ...report(), processed: -1 }],
    ['a fractional count', { ...report(), inFlight: 1.5 }],
    ['depth 0', { ...report(), depth: 0 }],
    ['an unknown transport', { ...report(), transport: 'carrier-pigeon' }],
    ['a missing statistic', { ...report(), cpuUsageStats: { average: 1, maximum: 1, minimum: 1 } }],
    ['a string number', { ...report(), throughput: '10' }],
    ['an empty id', { ...report(), id: '' }],
    ['a huge id', { ...report(), id: 'x'.repeat(65) }],
    ['a bad parent', { ...report(), parent: 7 }],
    ['no Workers', { ...report(), workers: 0 }],
    ['more Workers than a tab may run', { ...report(), workers: 65 }],
    ['a CPU use of 0', { ...report(), cpuLimit: 0 }],
    ['a CPU use over 100', { ...report(), cpuLimit: 101 }],
    ['a paused that is no boolean', { ...report(), paused: 'yes' }],
  ])('rejects %s', (_, value) => {
    const data = typeof value === 'string' ? value : JSON.stringify(value)
    expect(() => parseVolunteerReport(data)).toThrow(ProtocolError)
  })

  it('rejects a report over the size limit', () => {
    const data = JSON.stringify(report({ deviceName: 'x'.repeat(5_000) }))
    expect(() => parseVolunteerReport(data)).toThrow(/too large/)
    expect(parseVolunteerReport(data, 10_000).deviceName).toHaveLength(100)
  })
})

describe('parseMonitorMessage', () => {
  it('accepts a status, a stream (no total) included', () => {
    const sent = status([report({ id: 'a' }), report({ id: 'b', parent: 'a', depth: 2 })])
    expect(parseMonitorMessage(JSON.stringify(sent))).toEqual(sent)
    const stream = { ...sent, run: { ...sent.run, itemsTotal: null } }
    expect(parseMonitorMessage(JSON.stringify(stream))).toEqual(stream)
  })

  it('rejects unknown types, malformed totals and bad volunteers', () => {
    const sent = status([report()])
    const bad =
      (value: unknown): (() => unknown) =>
      () =>
        parseMonitorMessage(JSON.stringify(value))
    expect(bad({ ...sent, type: 'hello' })).toThrow(/unknown message type 'hello'/)
    expect(bad({ ...sent, totals: { ...sent.totals, done: -1 } })).toThrow(/totals.done/)
    expect(bad({ ...sent, run: { ...sent.run, itemsTotal: '5' } })).toThrow(ProtocolError)
    expect(bad({ ...sent, volunteers: [{ ...report(), id: 3 }] })).toThrow(/report.id/)
    expect(bad({ ...sent, tree: [{ id: 'a' }] })).toThrow(/parent/)
    expect(bad({ ...sent, volunteers: {} })).toThrow(/not an array/)
  })

  it("carries each volunteer's standing when the run judges results, checked field by field", () => {
    const standing = { id: 'a', agreed: 3, outvoted: 2, caught: 0, failed: 1, timedOut: 1, trusted: false }
    const excluded = { ...standing, id: 'b', excluded: 'was outvoted on 2 items: excluded' }
    const sent = { ...status([report()]), standings: [standing, excluded] }
    expect(parseMonitorMessage(JSON.stringify(sent))).toEqual(sent)
    const bad = (value: unknown) => () => parseMonitorMessage(JSON.stringify({ ...sent, standings: value }))
    expect(bad([{ ...standing, agreed: -1 }])).toThrow(/standing.agreed/)
    expect(bad([{ ...standing, trusted: 'yes' }])).toThrow(/standing.trusted/)
    expect(bad([{ ...standing, id: '' }])).toThrow(/standing.id/)
    expect(bad({})).toThrow(/standings is not an array/)
    const long = { ...standing, excluded: 'x'.repeat(1_000) }
    expect(
      parseMonitorMessage(JSON.stringify({ ...sent, standings: [long] })).standings?.[0]?.excluded,
    ).toHaveLength(200)
  })

  it('enforces its size limits', () => {
    const sent = status([])
    expect(() => parseMonitorMessage(JSON.stringify(sent), 10)).toThrow(/too large/)
    const crowded = { ...sent, tree: new Array(MAX_MONITORED_VOLUNTEERS + 1).fill(null) }
    expect(() => parseMonitorMessage(JSON.stringify(crowded))).toThrow(/too many/)
  })
})
