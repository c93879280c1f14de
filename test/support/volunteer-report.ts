import type { VolunteerReport } from '@pando/protocol'

const NO_STATISTICS = { average: 0, standardDeviation: 0, maximum: 0, minimum: 0 }

/**
 * A volunteer's status report as a WebSocket page sends it, every figure 0, with `fields` over it (its
 * `deviceName`, whether it is `paused`…): for tests that play a volunteer on the wire, or need a report.
 */
export function volunteerReport(fields: Partial<VolunteerReport> = {}): VolunteerReport {
  return {
    id: 'page',
    deviceName: 'page',
    timestamp: Date.now(),
    lastReportInterval: 200,
    nbItems: 0,
    units: 'items',
    cpuTime: 0,
    dataTransferTime: 0,
    throughput: 0,
    cpuUsage: 0,
    dataTransferLoad: 0,
    throughputStats: NO_STATISTICS,
    cpuUsageStats: NO_STATISTICS,
    dataTransferStats: NO_STATISTICS,
    depth: 1,
    parent: null,
    children: 0,
    transport: 'websocket',
    inFlight: 0,
    processed: 0,
    failures: 0,
    ...fields,
  }
}
