import { seqLines } from '../../harness/pando-process.ts'
import { MODULES, TRANSPORT_NAMES, type BenchContext } from '../context.ts'
import { now, pollFor, sleep } from '../clock.ts'
import type { ForcedTransport } from '../options.ts'
import { measureAll, succeeded, type Row, type RunRecord, type ScenarioResult } from '../result.ts'
import { medianOf } from '../stats.ts'
import type { Tabs } from '../tabs.ts'
import { startNetworkedPando } from '../timed-pando.ts'

/**
 * How the first tab leaves: closed (`page.close()`), or frozen: its main thread stops running anything (CDP
 * `Debugger.pause`) while its connections stay open, as a tab the browser froze or a hung page. (CDP
 * `Page.setWebLifecycleState` does not freeze a visible headless page: its timers keep running.)
 */
type Failure = 'close' | 'freeze'

/** Items per batch; the leaving tab holds two batches, which are all the items. */
const BATCH_SIZE = 8
const ITEMS = 2 * BATCH_SIZE
/** How long a tab holds each item (no CPU): longer than the second tab takes to join. */
const HOLD_MS = 5_000
/** Heartbeat for the frozen tab (the issue's `--heartbeat 1000`). */
const FROZEN_HEARTBEAT_MS = 1_000
const TARGET_CLOSE_MS = 1_000
const TARGET_FROZEN_HEARTBEATS = 2
/** How long a run waits for the items to be lent again before it gives up: after a close, for a frozen tab. */
const RECOVERY_TIMEOUT_MS: Record<Failure, number> = { close: 20_000, freeze: 10 * FROZEN_HEARTBEAT_MS }

/** What stderr says when the root loses a volunteer (WebSocket) or a child in the tree (WebRTC). */
const LEFT_PATTERN = /(volunteers? '[^']*'[^\n]*|a volunteer|\d+ volunteers) left\b/

interface Config {
  readonly transport: ForcedTransport
  readonly failure: Failure
}

interface RecoveryRecord extends RunRecord {
  /** From the close (or freeze) to the second tab holding the items: the recovery. */
  readonly relentMs: number | undefined
  /** From the close to the root's "left" message on stderr. */
  readonly detectedMs: number | undefined
  /** From the close to the first output line, minus the hold time: the same recovery, seen on stdout. */
  readonly outputMs: number | undefined
}

async function measureRecovery(tabs: Tabs, config: Config): Promise<RecoveryRecord> {
  const heartbeat = config.failure === 'freeze' ? ['--heartbeat', String(FROZEN_HEARTBEAT_MS)] : []
  const { pando, url } = await startNetworkedPando([
    MODULES.hold,
    '--batch-size',
    String(BATCH_SIZE),
    ...heartbeat,
  ])
  try {
    // The leaving tab takes every item; the staying tab joins after, with nothing left to take.
    const [leaving] = await tabs.open(url, config.transport, 1, 'leaving')
    if (leaving === undefined) throw new Error('no tab')
    await tabs.waitUntilReady([leaving])
    pando.child.stdin.end(seqLines(0, ITEMS, (n) => `${n}:${HOLD_MS}`))
    await pollFor(
      async () => ((await tabs.read(leaving)).firstItemAt === undefined ? undefined : true),
      'the first tab to get items',
      10_000,
    )
    await sleep(200) // its second batch
    const [staying] = await tabs.open(url, config.transport, 1, 'staying')
    if (staying === undefined) throw new Error('no tab')
    await tabs.waitUntilReady([staying])
    if ((await tabs.read(staying)).firstItemAt !== undefined) {
      throw new Error('the second tab got items before the first left: the first did not hold them all')
    }
    const session = config.failure === 'freeze' ? await tabs.context.newCDPSession(leaving) : undefined
    if (pando.lines() > 0)
      throw new Error('results came out before the first tab left: hold the items longer')

    if (session !== undefined) await session.send('Debugger.enable')
    const leftAt = now()
    if (session === undefined) await leaving.close()
    else await session.send('Debugger.pause')

    const relentAt = await pollFor(
      async () => (await tabs.read(staying)).firstItemAt,
      'the items to be lent again',
      RECOVERY_TIMEOUT_MS[config.failure],
    ).catch(() => undefined)
    const detected = pando.stderr.find((line) => line.at >= leftAt && LEFT_PATTERN.test(line.text))
    if (relentAt === undefined) {
      return {
        relentMs: undefined,
        detectedMs: detected === undefined ? undefined : detected.at - leftAt,
        outputMs: undefined,
        error: `not lent again within ${RECOVERY_TIMEOUT_MS[config.failure] / 1000} s of the ${config.failure}`,
      }
    }
    const firstLine = await pando.waitForLines(1, HOLD_MS + 10_000)
    const exit = await Promise.race([pando.exited, sleep(HOLD_MS + 10_000).then(() => undefined)])
    if (exit?.code !== 0 || pando.lines() !== ITEMS) {
      throw new Error(
        `after the recovery: exit ${exit?.code ?? 'none'}, ${pando.lines()} of ${ITEMS} results`,
      )
    }
    const detectedAfter = pando.stderr.find((line) => line.at >= leftAt && LEFT_PATTERN.test(line.text))
    return {
      relentMs: relentAt - leftAt,
      detectedMs: detectedAfter === undefined ? undefined : detectedAfter.at - leftAt,
      outputMs: firstLine.at - leftAt - HOLD_MS,
    }
  } finally {
    await pando.stop()
    await tabs.closeAll()
  }
}

/**
 * recovery: a tab that holds every item is closed (or frozen, with `--heartbeat 1000`) while a second tab
 * idles: the time until the second tab holds the items.
 */
export async function recovery(context: BenchContext): Promise<ScenarioResult> {
  const tabs = await context.tabs()
  const configs: Config[] = context.transports.flatMap((transport) =>
    (['close', 'freeze'] as const).map((failure) => ({ transport, failure })),
  )
  const label = (config: Config): string =>
    `${config.failure === 'close' ? 'closed tab' : `frozen tab, --heartbeat ${FROZEN_HEARTBEAT_MS}`}, ${
      TRANSPORT_NAMES[config.transport]
    }`
  const records = await measureAll(
    configs,
    context.options.runs,
    (config) => measureRecovery(tabs, config),
    (config, run, record) =>
      context.log(
        `recovery: ${label(config)}, run ${run + 1}: ${
          record.error ?? `lent again after ${Math.round(Number(record['relentMs']))} ms`
        }`,
      ),
  )
  const rows: Row[] = configs.map((config) => {
    const runs = records.get(config) ?? []
    const ok = succeeded<RecoveryRecord>(runs)
    const relentMs = medianOf(ok, (run) => run.relentMs)
    const limit =
      config.failure === 'close' ? TARGET_CLOSE_MS : TARGET_FROZEN_HEARTBEATS * FROZEN_HEARTBEAT_MS
    const allFailed = runs.length > 0 && ok.length === 0
    return {
      label: label(config),
      config,
      figures: {
        relentMs,
        detectedMs: medianOf(runs, (run) =>
          typeof run['detectedMs'] === 'number' ? run['detectedMs'] : undefined,
        ),
        outputMs: medianOf(ok, (run) => run.outputMs),
        failedRuns: runs.length - ok.length,
      },
      target: {
        text:
          config.failure === 'close'
            ? `≤ ${TARGET_CLOSE_MS} ms`
            : `≤ ${TARGET_FROZEN_HEARTBEATS} heartbeats (${limit} ms)`,
        // Never lent again is a miss, not an unknown.
        met: relentMs === undefined ? (allFailed ? false : undefined) : relentMs <= limit,
        ...(allFailed ? { note: String(runs[0]?.error) } : {}),
      },
      runs,
    }
  })
  return {
    name: 'recovery',
    measures: 'a tab holding every item leaves: time until another tab holds them (lent again)',
    columns: [
      { key: 'relentMs', title: 'lent again (ms)' },
      { key: 'detectedMs', title: '"left" on stderr (ms)' },
      { key: 'outputMs', title: 'output − hold (ms)' },
      { key: 'failedRuns', title: 'failed runs' },
    ],
    rows,
    notes: [
      `${ITEMS} items held ${HOLD_MS} ms each (no CPU), batch size ${BATCH_SIZE}: the first tab holds them all when a second, idle tab joins; then the first is closed (page.close()) or frozen (its main thread paused with CDP Debugger.pause: Page.setWebLifecycleState does not freeze a visible headless page)`,
      '"lent again": from the close to the second tab showing #status "working"; "left": the root’s message on stderr; "output − hold": first result line minus the hold time, a cross-check from stdout',
    ],
  }
}
