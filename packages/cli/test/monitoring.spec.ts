import type { VolunteerReport } from '@pando/protocol'
import { createLender } from '@pando/scheduler'
import pull from 'pull-stream'
import { describe, expect, it, vi } from 'vitest'
import { formatDuration, progressText, summaryText } from '../src/monitoring/progress-line.ts'
import { ReportBoard } from '../src/monitoring/report-board.ts'
import { startRunMonitor } from '../src/monitoring/run-monitor.ts'
import { volunteerReport } from '../../../test/support/volunteer-report.ts'

const report = (id: string, timestamp: number, processed = 0): VolunteerReport =>
  volunteerReport({ id, deviceName: id, timestamp, lastReportInterval: 3000, transport: 'webrtc', processed })

describe('ReportBoard', () => {
  it('keeps the latest report of each volunteer across links', () => {
    const board = new ReportBoard()
    board.update('a', [report('x', 100, 1), report('y', 100)])
    board.update('b', [report('x', 200, 2)])
    const current = board.current(250, 1000)
    expect(current.map((r) => [r.id, r.processed]).sort()).toEqual([
      ['x', 2],
      ['y', 0],
    ])
  })

  it('forgets a link that closed, and reports that went stale', () => {
    const board = new ReportBoard()
    board.update('a', [report('x', 100)])
    board.update('b', [report('y', 900)])
    expect(board.current(1000, 500).map((r) => r.id)).toEqual(['y'])
    board.remove('b')
    expect(board.current(1000, 5000).map((r) => r.id)).toEqual(['x'])
  })
})

describe('ReportBoard at the end of the run', () => {
  it('credits a lone volunteer with every outcome received, and leaves nothing in flight', () => {
    const board = new ReportBoard()
    board.update('ws', [{ ...report('w', 100, 5), inFlight: 4 }])
    board.countOutcomes('ws', 6)
    board.countOutcomes('ws', 3)
    // A subtree of two: the root cannot tell which of them sent what, so their counts stay as reported.
    board.update('child', [
      { ...report('c', 100, 2), inFlight: 1, children: 1 },
      { ...report('d', 100, 3), inFlight: 2, depth: 2, parent: 'c' },
    ])
    board.countOutcomes('child', 7)
    const final = board.final(200, 1000)
    expect(final.map((r) => [r.id, r.processed, r.inFlight]).sort()).toEqual([
      ['c', 2, 0],
      ['d', 3, 0],
      ['w', 9, 0],
    ])
    board.remove('ws')
    expect(board.final(200, 1000).map((r) => r.id)).toEqual(['c', 'd'])
  })
})

describe('startRunMonitor', () => {
  it('measures the rate now over the last intervals, so the last status made at the end does not spike', () => {
    vi.useFakeTimers()
    const lender = createLender()
    let emitted = 0
    const state = lender.state.bind(lender)
    const counting = Object.assign(Object.create(lender) as typeof lender, {
      state: () => ({ ...state(), emitted }),
    })
    let now = 0
    const rates: number[] = []
    const monitor = startRunMonitor({
      lender: counting,
      board: new ReportBoard(),
      intervalMs: 1000,
      onStatus: (status) => rates.push(status.totals.rate),
      now: () => now,
    })
    // 10 items/s for 3 s: three statuses.
    for (const second of [1, 2, 3]) {
      now = second * 1000
      emitted = second * 10
      vi.advanceTimersByTime(1000)
    }
    expect(rates).toHaveLength(3)
    expect(monitor.status().totals.rate).toBeCloseTo(10)
    // The run ends 50 ms after a status with 2 more items: the rate stays near 10, not 40.
    now = 3050
    emitted = 32
    monitor.stop()
    expect(rates.at(-1)).toBeLessThan(15)
    vi.useRealTimers()
  })

  it('makes a status from the lender counters and the reports, and a last one on stop', () => {
    const lender = createLender()
    pull(pull.values([0, 1, 2].map((id) => ({ id, value: String(id) }))), lender.sink)
    const results: unknown[] = []
    pull(
      lender.source,
      pull.drain((x) => results.push(x)),
    )
    const sub = lender.lendStream({ credit: 2 })
    const lent: number[] = []
    pull(
      sub.source,
      pull.drain((jobs) => lent.push(...jobs.map((job) => job.id))),
    )
    const board = new ReportBoard()
    board.update('link', [report('v', 1000)])
    let now = 1000
    const statuses: unknown[] = []
    const monitor = startRunMonitor({
      lender,
      board,
      intervalMs: 60_000,
      itemsTotal: 3,
      onStatus: (status) => statuses.push(status),
      now: () => now,
    })
    now = 3000
    expect(monitor.status()).toMatchObject({
      type: 'status',
      timestamp: 3000,
      run: { startedAt: 1000, elapsedMs: 2000, itemsTotal: 3 },
      totals: { read: 2, done: 0, inFlight: 2, relent: 0, failed: 0, volunteers: 1, averageRate: 0 },
      tree: [{ id: 'v', parent: null }],
    })
    monitor.stop()
    monitor.stop()
    expect(statuses).toHaveLength(1)
    expect(lent).toEqual([0, 1])
    // Once stopped, its status is the final one it sent, whenever asked.
    now = 9000
    expect(monitor.status()).toBe(statuses[0])
    expect(monitor.status()).toMatchObject({ timestamp: 3000, run: { ended: true } })
  })
})

describe('progressText', () => {
  it('shows done of total, rate, volunteers, ETA and elapsed time', () => {
    const status = {
      type: 'status' as const,
      timestamp: 0,
      run: { startedAt: 0, elapsedMs: 10_000, itemsTotal: 100 },
      totals: {
        read: 50,
        done: 40,
        inFlight: 10,
        relent: 0,
        failed: 0,
        volunteers: 2,
        rate: 4.4,
        averageRate: 4,
      },
      volunteers: [],
      tree: [],
    }
    expect(progressText(status, true)).toBe('40/100 done · 4 items/s · 2 volunteers · ETA 0:15 · 0:10')
    expect(progressText({ ...status, run: { ...status.run, itemsTotal: null } }, false)).toBe(
      '40 done · 4 items/s · 0:10',
    )
  })

  it('makes the summary line: items, time, average rate, most volunteers, retries, failures', () => {
    const status = {
      type: 'status' as const,
      timestamp: 0,
      run: { startedAt: 0, elapsedMs: 65_000, itemsTotal: 200 },
      totals: {
        read: 200,
        done: 200,
        inFlight: 0,
        relent: 1,
        failed: 2,
        volunteers: 0,
        rate: 0,
        averageRate: 3.0769,
      },
      volunteers: [],
      tree: [],
    }
    expect(summaryText(status, 3)).toBe(
      '200 items in 1:05 · 3.1 items/s · 3 volunteers · 1 retry · 2 failures',
    )
    expect(
      summaryText(
        { ...status, totals: { ...status.totals, done: 1, relent: 0, failed: 1, averageRate: 12.4 } },
        undefined,
      ),
    ).toBe('1 item in 1:05 · 12 items/s · 0 retries · 1 failure')
  })

  it('ends the summary of a run that judges results with the volunteers judged, trusted and excluded, and why', () => {
    const status = {
      type: 'status' as const,
      timestamp: 0,
      run: { startedAt: 0, elapsedMs: 1_000, itemsTotal: 4 },
      totals: { read: 4, done: 4, inFlight: 0, relent: 0, failed: 0, volunteers: 0, rate: 0, averageRate: 4 },
      volunteers: [],
      tree: [],
    }
    const standing = { agreed: 12, outvoted: 0, caught: 0, failed: 0, timedOut: 0, trusted: true }
    const standings = [
      { ...standing, name: 'a' },
      { ...standing, name: 'b', trusted: false },
      { ...standing, name: 'liar', agreed: 0, outvoted: 12, trusted: false, excluded: 'outvoted' },
      { ...standing, name: 'spy', agreed: 0, outvoted: 1, caught: 1, trusted: false, excluded: 'caught' },
    ]
    expect(summaryText(status, 4, standings)).toBe(
      "4 items in 0:01 · 4.0 items/s · 4 volunteers · 0 retries · 0 failures · volunteers judged: 4, trusted: 1, excluded: 'liar' (outvoted 12 times), 'spy' (caught by a spot check)",
    )
    expect(summaryText(status, 4, standings.slice(1, 2))).toMatch(/ · volunteers judged: 1, excluded: none$/)
  })

  it('formats durations', () => {
    expect(formatDuration(0)).toBe('0:00')
    expect(formatDuration(65_000)).toBe('1:05')
    expect(formatDuration(3_723_000)).toBe('1:02:03')
  })
})
