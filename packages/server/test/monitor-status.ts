import type { MonitorMessage } from '@pando/protocol'

/** A valid status for the dashboards' feed, as a root broadcasts it. */
export const STATUS: MonitorMessage = {
  type: 'status',
  timestamp: 1_700_000_000_000,
  run: { startedAt: 1_700_000_000_000, elapsedMs: 0, itemsTotal: null },
  totals: { read: 1, done: 1, inFlight: 0, relent: 0, failed: 0, volunteers: 0, rate: 0, averageRate: 0 },
  volunteers: [],
  tree: [],
}
