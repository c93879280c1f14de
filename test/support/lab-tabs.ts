import type { Browser, Page } from 'playwright-core'
import { launchChromium } from '../../harness/chromium.ts'
import type { LabHost } from '../../harness/network-lab.ts'
import {
  launchVolunteerBrowser,
  openVolunteerContext,
  type VolunteerBrowser,
} from '../../harness/volunteer-browser.ts'

/** What a volunteer page shows of its place in the run. */
export interface TabState {
  readonly page: Page
  readonly host: string
  readonly id: string
  readonly parent: string
  readonly depth: number
  readonly transport: string
}

/** A lab host's Chromium with its volunteer tabs: no camera permission, as real volunteers. */
export interface HostTabs {
  readonly host: LabHost
  readonly browser: VolunteerBrowser
  readonly pages: Page[]
}

/**
 * Launches Chromium inside `host` and opens `count` tabs on `url`, named `HOST-1`, `HOST-2`… Each page keeps
 * its peer connections in `window.__labPeers`, with the config each was made with (see {@link peerLinks}).
 * Given `running`, a Chromium launched inside `host` ({@link launchHostChromium}) that a file keeps for all
 * its tests, the tabs open in a fresh context of it instead, and `close` leaves it running.
 */
export async function openHostTabs(
  host: LabHost,
  url: string,
  count: number,
  running?: Browser,
): Promise<HostTabs> {
  const browser =
    running === undefined
      ? await launchVolunteerBrowser({ executablePath: host.chromium, cameraPermission: false })
      : await openVolunteerContext(running, { cameraPermission: false })
  const pages: Page[] = []
  try {
    await browser.context.addInitScript(recordPeerConnections)
    for (let i = 1; i <= count; i++) pages.push(await browser.open(url, `${host.name}-${i}`))
  } catch (error) {
    await browser.close()
    throw error
  }
  return { host, browser, pages }
}

/** Launches Chromium inside `host`, for {@link openHostTabs} to open the tabs of several runs in. */
export function launchHostChromium(host: LabHost): Promise<Browser> {
  return launchChromium(host.chromium)
}

/** The state a page shows. */
export async function tabState(page: Page, host: string): Promise<TabState> {
  const text = async (selector: string): Promise<string> => (await page.textContent(selector))?.trim() ?? ''
  return {
    page,
    host,
    id: await text('#volunteer-id'),
    parent: await text('#parent-id'),
    depth: Number(await text('#depth')),
    transport: await text('#transport'),
  }
}

/**
 * Resolves with every tab's state once all of `hosts`' tabs show a depth (or the WebSocket) in one reading:
 * they have joined. A tab may rejoin while others still join (its depth reads "–" meanwhile), so the states
 * are read again until one reading has them all.
 */
export async function joinedTabs(hosts: readonly HostTabs[], timeoutMs = 60_000): Promise<TabState[]> {
  const all = hosts.flatMap(({ host, pages }) => pages.map((page) => ({ host, page })))
  const joined = (tab: TabState): boolean => tab.depth >= 1 || /websocket/i.test(tab.transport)
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const states = await Promise.all(all.map(({ host, page }) => tabState(page, host.name)))
    if (states.every(joined)) return states
    if (Date.now() > deadline) {
      const waiting = states.filter((tab) => !joined(tab)).map((tab) => `${tab.host} ${tab.id || '(no id)'}`)
      throw new Error(`tabs not joined after ${timeoutMs} ms: ${waiting.join(', ')}`)
    }
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
}

/** What a page's peer connection was given and which candidates it uses. */
export interface PeerLink {
  readonly state: string
  /** The config's ICE servers, as the page gave them to `RTCPeerConnection`. */
  readonly iceServers: readonly RTCIceServer[]
  /** The candidate types of the selected pair (`host`, `srflx`, `prflx`, `relay`), when connected. */
  readonly local?: string
  readonly remote?: string
  /** The candidates it gathered (`local …`) and was given (`remote …`), as SDP attribute lines. */
  readonly candidates: readonly string[]
}

/** Runs in each page before its scripts: keeps every `RTCPeerConnection` the page makes, and its config. */
function recordPeerConnections(): void {
  const Native = window.RTCPeerConnection
  const peers: {
    config: RTCConfiguration | undefined
    connection: RTCPeerConnection
    candidates: string[]
  }[] = []
  Object.assign(window, { __labPeers: peers })
  const Recording = function (config?: RTCConfiguration) {
    const connection = new Native(config)
    const candidates: string[] = []
    peers.push({ config, connection, candidates })
    connection.addEventListener('icecandidate', (event) => {
      if (event.candidate !== null) candidates.push(`local ${event.candidate.candidate}`)
    })
    const add = connection.addIceCandidate.bind(connection)
    connection.addIceCandidate = (candidate?: RTCIceCandidateInit | null) => {
      candidates.push(`remote ${candidate?.candidate ?? ''}`)
      return add(candidate ?? undefined)
    }
    return connection
  } as unknown as typeof RTCPeerConnection
  Recording.prototype = Native.prototype
  Object.assign(Recording, { generateCertificate: Native.generateCertificate.bind(Native) })
  window.RTCPeerConnection = Recording
}

/** The peer connections of a page opened by {@link openHostTabs}: their configs and selected candidates. */
export function peerLinks(page: Page): Promise<PeerLink[]> {
  return page.evaluate(async () => {
    const peers = (
      window as unknown as {
        __labPeers: { config?: RTCConfiguration; connection: RTCPeerConnection; candidates: string[] }[]
      }
    ).__labPeers
    return Promise.all(
      peers.map(async ({ config, connection, candidates }) => {
        const link = { state: connection.connectionState, iceServers: config?.iceServers ?? [], candidates }
        const stats = await connection.getStats()
        let pair: RTCIceCandidatePairStats | undefined
        stats.forEach((report: RTCStats) => {
          const transport = report as RTCTransportStats
          if (report.type === 'transport' && transport.selectedCandidatePairId !== undefined) {
            pair = stats.get(transport.selectedCandidatePairId) as RTCIceCandidatePairStats
          }
        })
        if (pair === undefined) return link
        const typeOf = (id: string): string | undefined =>
          (stats.get(id) as { candidateType?: string } | undefined)?.candidateType
        return { ...link, local: typeOf(pair.localCandidateId), remote: typeOf(pair.remoteCandidateId) }
      }),
    )
  })
}
