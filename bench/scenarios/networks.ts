import type { Page } from 'playwright-core'
import { createNetworkLab, labAvailable, type LabHost, type NetworkLab } from '../../harness/network-lab.ts'
import { PANDO, seqLines, startPando, type PandoRun } from '../../harness/pando-process.ts'
import { TURN_PORT, startTurnServer } from '../../harness/turn-server.ts'
import { launchVolunteerBrowser, type VolunteerBrowser } from '../../harness/volunteer-browser.ts'
import { pollFor } from '../clock.ts'
import { MODULES, type BenchContext } from '../context.ts'
import { measureAll, succeeded, type RunRecord, type ScenarioResult } from '../result.ts'
import { median, medianOf, round } from '../stats.ts'
import { PROBE_SCRIPT, readTab, tabUrl, type TabReading } from '../tabs.ts'

/** Tabs may join under tabs, so that tab-to-tab links cross the NATs too. */
const DEGREE = 2
/** Items written once every tab has joined (or given up): the run must give them all back, in order. */
const ITEMS = 200
/** How long the tabs of a run may take to join (or fall back) before the run is measured as it is. */
const JOIN_TIMEOUT_MS = 90_000
/** How long the run may take to finish its items once the tabs have joined. */
const FINISH_TIMEOUT_MS = 60_000
const TURN_SECRET = 'bench-turn-secret-0123456789'
const STUN = `stun:203.0.113.3:${TURN_PORT}`
const TURN = `turn:203.0.113.3:${TURN_PORT}`

/** Where the root and the tabs are, and what the root is given. */
type Setting = 'lan' | 'cone-stun' | 'symmetric-turn' | 'symmetric-no-turn'
const SETTINGS: readonly Setting[] = ['lan', 'cone-stun', 'symmetric-turn', 'symmetric-no-turn']

const LABELS: Record<Setting, string> = {
  lan: 'one LAN, 2 tab hosts',
  'cone-stun': '2 sites behind cone NATs, STUN',
  'symmetric-turn': '2 sites behind symmetric NATs, TURN',
  'symmetric-no-turn': '2 sites behind symmetric NATs, no TURN',
}

/** The lab's hosts: a LAN (root `a`, tabs on `b`, `c`), and on the "Internet" the root `pub`, coturn and four sites. */
type Hosts = Record<'a' | 'b' | 'c' | 'pub' | 'cone1' | 'cone2' | 'sym1' | 'sym2', LabHost>

async function buildLab(lab: NetworkLab): Promise<Hosts> {
  const lan = await lab.segment('lan', { prefix: '10.77.0' })
  const internet = await lab.segment('internet', { prefix: '203.0.113' })
  await startTurnServer(await lab.host('turn', internet, 3), TURN_SECRET)
  const site = async (name: string, index: number, nat: 'cone' | 'symmetric'): Promise<LabHost> => {
    const segment = await lab.segment(`site${index}`, {
      prefix: `10.${index}.0`,
      uplink: { segment: internet, address: `203.0.113.${10 + index}`, nat },
    })
    return lab.host(name, segment, 2)
  }
  return {
    a: await lab.host('a', lan, 2),
    b: await lab.host('b', lan, 3),
    c: await lab.host('c', lan, 4),
    pub: await lab.host('pub', internet, 2),
    cone1: await site('cone1', 1, 'cone'),
    cone2: await site('cone2', 2, 'cone'),
    sym1: await site('sym1', 3, 'symmetric'),
    sym2: await site('sym2', 4, 'symmetric'),
  }
}

interface Placement {
  readonly root: LabHost
  readonly options: readonly string[]
  readonly env: Record<string, string>
  readonly tabHosts: readonly LabHost[]
}

/** The root's host, its options and environment, and the hosts of the tabs, for a setting. */
function placement(hosts: Hosts, setting: Setting): Placement {
  switch (setting) {
    case 'lan':
      return { root: hosts.a, options: [], env: {}, tabHosts: [hosts.b, hosts.c] }
    case 'cone-stun':
      return {
        root: hosts.pub,
        options: ['--ice-servers', STUN],
        env: {},
        tabHosts: [hosts.cone1, hosts.cone2],
      }
    case 'symmetric-turn':
      return {
        root: hosts.pub,
        options: ['--ice-servers', TURN],
        env: { PANDO_TURN_SECRET: TURN_SECRET },
        tabHosts: [hosts.sym1, hosts.sym2],
      }
    case 'symmetric-no-turn':
      return {
        root: hosts.pub,
        options: ['--ice-servers', STUN],
        env: {},
        tabHosts: [hosts.sym1, hosts.sym2],
      }
  }
}

interface TabJoin {
  readonly host: string
  /** Load event → `#status` idle or working (a parent and a Worker); `undefined` if it never got there. */
  readonly joinMs: number | undefined
  readonly transport: string | undefined
  readonly depth: string | undefined
}

interface NetworkRecord extends RunRecord {
  readonly webRtcShare: number | undefined
  readonly fellBack: number
  readonly notJoined: number
  readonly medianJoinMs: number | undefined
  readonly maxJoinMs: number | undefined
  readonly tabs: readonly TabJoin[]
}

/** Launches Chromium in each host with the bench's probe, and opens `perHost` tabs there on `url`. */
async function openTabs(
  hosts: readonly LabHost[],
  url: string,
  perHost: number,
  browsers: VolunteerBrowser[],
): Promise<{ host: LabHost; page: Page }[]> {
  const opened = await Promise.all(
    hosts.map(async (host) => {
      const browser = await launchVolunteerBrowser({ executablePath: host.chromium, cameraPermission: false })
      browsers.push(browser)
      await browser.context.addInitScript({ path: PROBE_SCRIPT })
      const pages = await Promise.all(
        Array.from({ length: perHost }, (_, index) =>
          browser.open(tabUrl(url, 'auto', `${host.name}-${index + 1}`)),
        ),
      )
      return pages.map((page) => ({ host, page }))
    }),
  )
  return opened.flat()
}

const joinedOf = (reading: TabReading): boolean => reading.readyAt !== undefined

async function measureSetting(hosts: Hosts, setting: Setting, perHost: number): Promise<NetworkRecord> {
  const { root, options, env, tabHosts } = placement(hosts, setting)
  const { file, args } = root.command(PANDO, [
    MODULES.square,
    '--stdin',
    '--port',
    '0',
    '--degree',
    String(DEGREE),
    ...options,
  ])
  const run: PandoRun = startPando(args, { bin: file, env })
  const browsers: VolunteerBrowser[] = []
  try {
    const address = root.address.replaceAll('.', '\\.')
    const [url = ''] = await run.waitForStderr(new RegExp(`http://${address}:\\d+/\\?token=[\\w-]+`))
    const tabs = await openTabs(tabHosts, url, perHost, browsers)
    let readings: TabReading[] = []
    await pollFor(
      async () => {
        readings = await Promise.all(tabs.map(({ page }) => readTab(page, 0)))
        return readings.every(joinedOf) ? true : undefined
      },
      `${tabs.length} tabs to join`,
      JOIN_TIMEOUT_MS,
      250,
    ).catch(() => undefined) // the tabs that did not join are counted below
    const joins: TabJoin[] = readings.map((reading, index) => ({
      host: tabs[index]?.host.name ?? '?',
      joinMs:
        reading.readyAt === undefined || reading.loadAt === undefined
          ? undefined
          : reading.readyAt - reading.loadAt,
      transport: reading.transport,
      depth: reading.depth,
    }))
    await finish(run)
    const times = joins.map((tab) => tab.joinMs).filter((ms): ms is number => ms !== undefined)
    const joined = joins.filter((tab) => tab.joinMs !== undefined)
    return {
      webRtcShare:
        joined.length === 0
          ? undefined
          : joined.filter((tab) => tab.transport === 'WebRTC').length / joined.length,
      fellBack: joined.filter((tab) => tab.transport === 'WebSocket').length,
      notJoined: joins.length - joined.length,
      medianJoinMs: median(times),
      maxJoinMs: times.length === 0 ? undefined : Math.max(...times),
      tabs: joins,
    }
  } finally {
    await Promise.all(browsers.map((browser) => browser.close().catch(() => undefined)))
    if (run.child.exitCode === null) run.child.kill('SIGKILL')
  }
}

/** Writes the items and checks that every result came back in order and pando exited 0. @throws if not */
async function finish(run: PandoRun): Promise<void> {
  run.child.stdin.end(seqLines(0, ITEMS))
  const timeout = new Promise<never>((_, reject) =>
    setTimeout(
      () => reject(new Error(`pando did not finish within ${FINISH_TIMEOUT_MS} ms`)),
      FINISH_TIMEOUT_MS,
    ).unref(),
  )
  const result = await Promise.race([run.exited, timeout])
  if (result.code !== 0 || result.stdout !== seqLines(0, ITEMS, (n) => String(n * n))) {
    throw new Error(
      `pando exited ${String(result.code)} with ${result.stdout.split('\n').length - 1} lines: ${result.stderr.slice(-300)}`,
    )
  }
}

const percent = (share: number | undefined): number | undefined =>
  round(share === undefined ? undefined : share * 100, 0)

/**
 * networks: volunteers through real networks, in the network lab (harness/network-lab.ts): tabs
 * without camera permission on other hosts of one LAN, at two sites behind cone NATs with STUN, behind
 * symmetric NATs with TURN and without it. For each: the share of tabs that joined over WebRTC (the rest
 * fell back to the WebSocket), and each tab's time from its load event to having a parent and a Worker.
 */
export async function networks(context: BenchContext): Promise<ScenarioResult> {
  const base = {
    name: 'networks',
    measures:
      'tabs on other hosts, behind NATs: share joined over WebRTC, and join time (load event → a parent and a Worker)',
    columns: [
      { key: 'tabs', title: 'tabs' },
      { key: 'webRtcPercent', title: 'WebRTC (%)' },
      { key: 'fellBack', title: 'fell back' },
      { key: 'notJoined', title: 'not joined' },
      { key: 'medianJoinMs', title: 'median join (ms)' },
      { key: 'maxJoinMs', title: 'max join (ms)' },
      { key: 'failedRuns', title: 'failed runs' },
    ],
    notes: [
      `the network lab: hosts as namespaces, NAT by nftables (cone: masquerade; symmetric: masquerade random,fully-random), coturn on the public segment; tabs without camera permission (mDNS host candidates), ${DEGREE} children per node at most, the default --bootstrap-timeout`,
      'LAN: the root on a third host of the LAN; the NAT settings: the root on the public segment, the tabs split over two sites',
      '"fell back": tabs on the WebSocket after their WebRTC joins failed; "not joined": neither within 90 s; each run also checks the output of 200 items',
    ],
  }
  if (!labAvailable()) {
    return { ...base, rows: [], error: 'the network lab needs root, nft and turnserver (npm run setup)' }
  }
  const perHost = context.sizes.networkTabsPerHost
  const lab = createNetworkLab()
  try {
    const hosts = await buildLab(lab)
    const records = await measureAll<Setting, NetworkRecord>(
      SETTINGS,
      context.options.runs,
      (setting) => measureSetting(hosts, setting, perHost),
      (setting, run, record) =>
        context.log(
          `networks: ${LABELS[setting]}, run ${run + 1}: ${
            record.error ??
            `WebRTC ${percent(Number(record['webRtcShare']))} %, median ${Math.round(Number(record['medianJoinMs']))} ms, max ${Math.round(Number(record['maxJoinMs']))} ms`
          }`,
        ),
    )
    const rows = SETTINGS.map((setting) => {
      const runs = records.get(setting) ?? []
      const ok = succeeded<NetworkRecord>(runs)
      return {
        label: LABELS[setting],
        config: { setting, tabs: perHost * 2, degree: DEGREE },
        figures: {
          tabs: perHost * 2,
          webRtcPercent: percent(medianOf(ok, (run) => run.webRtcShare)),
          fellBack: medianOf(ok, (run) => run.fellBack),
          notJoined: medianOf(ok, (run) => run.notJoined),
          medianJoinMs: round(medianOf(ok, (run) => run.medianJoinMs)),
          maxJoinMs: round(medianOf(ok, (run) => run.maxJoinMs)),
          failedRuns: runs.length - ok.length,
        },
        runs,
      }
    })
    return { ...base, rows }
  } finally {
    await lab.close()
  }
}
