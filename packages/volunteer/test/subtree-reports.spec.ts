import { MAX_MONITORED_VOLUNTEERS, type VolunteerReport } from '@pando/protocol'
import { describe, expect, it } from 'vitest'
import { boundReports, SubtreeReports } from '../src/subtree-reports.ts'

const NOW = 1_700_000_000_000
const STATS = { average: 0, standardDeviation: 0, maximum: 0, minimum: 0 }

function report(id: string, overrides: Partial<VolunteerReport> = {}): VolunteerReport {
  return {
    id,
    deviceName: `device ${id}`,
    timestamp: NOW,
    lastReportInterval: 1_000,
    nbItems: 1,
    units: 'items',
    cpuTime: 0,
    dataTransferTime: 0,
    throughput: 1,
    cpuUsage: 0,
    dataTransferLoad: 0,
    throughputStats: STATS,
    cpuUsageStats: STATS,
    dataTransferStats: STATS,
    depth: 2,
    parent: 'me',
    children: 0,
    transport: 'webrtc',
    inFlight: 0,
    processed: 0,
    failures: 0,
    ...overrides,
  }
}

const ids = (reports: readonly VolunteerReport[]): string[] => reports.map((r) => r.id)
const OWN = report('me', { depth: 1, parent: null, children: 2 })

describe('SubtreeReports', () => {
  describe('#combined', () => {
    it("lists the tab's own report first, then one per volunteer of each child's subtree", () => {
      const subtree = new SubtreeReports<string>()
      subtree.update('left', [report('a'), report('a1', { depth: 3 })])
      subtree.update('right', [report('b')])
      expect(ids(subtree.combined(OWN, NOW, 3_000))).toEqual(['me', 'a', 'b', 'a1'])
    })

    it("replaces a child's previous status, and keeps the latest report of a volunteer seen twice", () => {
      const subtree = new SubtreeReports<string>()
      subtree.update('left', [report('a', { processed: 1 }), report('moved', { timestamp: NOW - 500 })])
      subtree.update('left', [report('a', { processed: 2 })])
      subtree.update('right', [report('moved', { timestamp: NOW - 100, processed: 9 })])
      const combined = subtree.combined(OWN, NOW, 3_000)
      expect(ids(combined)).toEqual(['me', 'a', 'moved'])
      expect(combined.find((r) => r.id === 'a')?.processed).toBe(2)
      expect(combined.find((r) => r.id === 'moved')?.processed).toBe(9)
    })

    it('drops the reports of a child that left, and those too old', () => {
      const subtree = new SubtreeReports<string>()
      subtree.update('left', [report('a')])
      subtree.update('right', [report('b'), report('silent', { timestamp: NOW - 3_000 })])
      subtree.remove('left')
      expect(ids(subtree.combined(OWN, NOW, 3_000))).toEqual(['me', 'b'])
    })

    it('never lets a child speak for the tab itself', () => {
      const subtree = new SubtreeReports<string>()
      subtree.update('left', [report('me', { timestamp: NOW + 1_000, processed: 666 })])
      expect(subtree.combined(OWN, NOW, 3_000)).toEqual([OWN])
    })
  })
})

describe('boundReports', () => {
  it('keeps the first report, then the shallowest ones, within the byte budget', () => {
    const deep = Array.from({ length: 10 }, (_, i) => report(`deep${String(i)}`, { depth: 5 }))
    const shallow = Array.from({ length: 10 }, (_, i) => report(`near${String(i)}`, { depth: 2 }))
    const size = new TextEncoder().encode(JSON.stringify(OWN)).length
    const kept = boundReports([OWN, ...deep, ...shallow], 40 + 12 * (size + 1))
    expect(kept[0]).toBe(OWN)
    expect(kept.length).toBeGreaterThanOrEqual(10)
    expect(kept.length).toBeLessThan(21)
    expect(ids(kept.slice(1, 11))).toEqual(ids(shallow))
    expect(JSON.stringify({ type: 'status', reports: kept }).length).toBeLessThanOrEqual(40 + 12 * (size + 1))
  })

  it('keeps everything that fits, and never more than MAX_MONITORED_VOLUNTEERS', () => {
    const many = Array.from({ length: MAX_MONITORED_VOLUNTEERS + 5 }, (_, i) => report(String(i)))
    expect(boundReports(many.slice(0, 50))).toHaveLength(50)
    expect(boundReports(many, Number.MAX_SAFE_INTEGER)).toHaveLength(MAX_MONITORED_VOLUNTEERS)
    expect(boundReports([])).toEqual([])
  })
})
