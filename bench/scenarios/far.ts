import { measureCollatz, type CollatzRun } from '../collatz.ts'
import type { BenchContext } from '../context.ts'
import type { ScenarioResult } from '../result.ts'
import { round } from '../stats.ts'

/**
 * far: one tab computing Collatz items (about 10 ms each) over the WebSocket, its page and socket going
 * through a proxy that delays each way (see harness/delay-proxy.ts): how much of its time a far
 * volunteer computes, as the items/s it reaches over those it reaches with no delay.
 */
export async function far(context: BenchContext): Promise<ScenarioResult> {
  const { sizes } = context
  const configs = sizes.farRoundTrips.map((roundTripMs): CollatzRun => ({
    placement: {
      kind: 'tabs',
      tabs: 1,
      transport: 'websocket',
      ...(roundTripMs > 0 ? { oneWayMs: roundTripMs / 2 } : {}),
    },
    items: sizes.farItems,
  }))
  const measured = await measureCollatz(context, 'far', configs)
  const near = measured.rates[0]
  const rows = measured.rows.map((row, index) => {
    const rate = measured.rates[index]
    const share = rate === undefined || near === undefined ? undefined : round(rate / near, 3)
    return { ...row, figures: { ...row.figures, share } }
  })
  return {
    name: 'far',
    measures: 'one tab 0–100 ms away (a delaying proxy, WebSocket): items/s of Collatz items of about 10 ms',
    columns: [
      { key: 'items', title: 'items' },
      { key: 'itemsPerSecond', title: 'items/s', digits: 1 },
      { key: 'share', title: 'of the near tab', digits: 3 },
      { key: 'failedRuns', title: 'failed runs' },
    ],
    rows,
    notes: [
      'the page, its run files and its WebSocket go through a TCP proxy on loopback that holds every chunk half the round trip each way; the first row has no proxy',
      '"of the near tab": items/s over those of the first row; 1 is a volunteer that never waits for work',
    ],
  }
}
