// Scripted statuses of a run with a few volunteers, as the root would push them: counts grow at each step.
import {
  statisticsOf,
  treeOfReports,
  type MonitorStatus,
  type Transport,
  type VolunteerReport,
} from '@pando/protocol'

interface Volunteer {
  readonly id: string
  readonly deviceName: string
  readonly transport: Transport
  readonly parent: string | null
  /** Items per second, on average. */
  readonly speed: number
}

/** Four volunteers: two on the root, two under the second one. */
export const VOLUNTEERS: readonly Volunteer[] = [
  { id: '3f9a1c20', deviceName: 'MacBook Pro 2016', transport: 'websocket', parent: null, speed: 8.8 },
  { id: 'b71e44d9', deviceName: 'Asus laptop', transport: 'webrtc', parent: null, speed: 3.6 },
  { id: '0c5d93ae', deviceName: 'iPhone SE', transport: 'webrtc', parent: 'b71e44d9', speed: 2.9 },
  { id: 'e2840b17', deviceName: 'Novena', transport: 'webrtc', parent: 'b71e44d9', speed: 0.7 },
]

/** Reporting interval of the scenario, in ms. */
export const INTERVAL = 3_000
export const STARTED_AT = Date.UTC(2026, 10, 21, 14, 0, 0)
export const ITEMS_TOTAL = 2_000

function depthOf(volunteer: Volunteer): number {
  return volunteer.parent === null ? 1 : 2
}

/** The throughput of volunteer `index` during interval `step` (1, 2, …): its speed, give or take. */
function throughputAt(index: number, step: number, speed: number): number {
  return Math.max(0, speed * (1 + 0.25 * Math.sin(step * 0.9 + index * 1.7)))
}

/** The status after `step` intervals (step ≥ 1), with the first `count` volunteers. */
export function statusAt(step: number, count = VOLUNTEERS.length): MonitorStatus {
  const now = STARTED_AT + step * INTERVAL
  const volunteers: VolunteerReport[] = VOLUNTEERS.slice(0, count).map((volunteer, index) => {
    const throughputs = Array.from({ length: step }, (_, s) => throughputAt(index, s + 1, volunteer.speed))
    const throughput = throughputs.at(-1) ?? 0
    const cpu = throughputs.map((t) => Math.min(100, 55 + t * 4.5))
    const transfer = throughputs.map((t) => Math.min(100, 3 + t * 0.8))
    const processed = Math.round(throughputs.reduce((sum, t) => sum + t, 0) * (INTERVAL / 1000))
    const children = VOLUNTEERS.slice(0, count).filter((other) => other.parent === volunteer.id).length
    return {
      id: volunteer.id,
      deviceName: volunteer.deviceName,
      timestamp: now - index * 250,
      lastReportInterval: INTERVAL,
      nbItems: Math.round(throughput * (INTERVAL / 1000)),
      units: 'items',
      cpuTime: ((cpu.at(-1) ?? 0) / 100) * INTERVAL,
      dataTransferTime: ((transfer.at(-1) ?? 0) / 100) * INTERVAL,
      throughput,
      cpuUsage: cpu.at(-1) ?? 0,
      dataTransferLoad: transfer.at(-1) ?? 0,
      throughputStats: statisticsOf(throughputs),
      cpuUsageStats: statisticsOf(cpu),
      dataTransferStats: statisticsOf(transfer),
      depth: depthOf(volunteer),
      parent: volunteer.parent,
      children,
      transport: volunteer.transport,
      inFlight: 4 + children * 8,
      processed,
      failures: index === 3 && step > 2 ? 1 : 0,
    }
  })
  const done = volunteers.reduce((sum, v) => sum + v.processed, 0)
  const inFlight = volunteers
    .filter((volunteer) => volunteer.parent === null)
    .reduce((sum, v) => sum + v.inFlight, 0)
  const rate = volunteers.reduce((sum, v) => sum + v.throughput, 0)
  return {
    type: 'status',
    timestamp: now,
    run: { startedAt: STARTED_AT, elapsedMs: step * INTERVAL, itemsTotal: ITEMS_TOTAL },
    totals: {
      read: done + inFlight,
      done,
      inFlight,
      relent: step > 3 ? 3 : 0,
      failed: volunteers.reduce((sum, v) => sum + v.failures, 0),
      volunteers: volunteers.length,
      rate,
      averageRate: done / ((step * INTERVAL) / 1000),
    },
    volunteers,
    tree: treeOfReports(volunteers),
  }
}
