import { createWebRtcConnector } from '@pando/overlay'
import { reconnectDelay, type RunConfig } from '@pando/protocol'
import { FALLBACK_FAILED_JOINS } from './constants.ts'
import { JoinFallback } from './join-fallback.ts'
import { JoinSignaling } from './join-signaling.ts'
import { isNoRunRefusal } from './page-state.ts'
import { fetchRunConfig, NoRunYetError } from './run-config.ts'
import { TreeVolunteer } from './tree-volunteer.ts'
import type { VolunteerPage } from './volunteer-page.ts'

export interface TreePageOptions {
  /** URL of the signaling relay's WebSocket (`/join`). */
  readonly joinUrl: string
  /**
   * Called when the tree cannot be joined from here (no run config, no WebRTC, or the join failed, see
   * {@link JoinFallback}): the page switches to the WebSocket. Absent with `#protocol=webrtc`, where the
   * page keeps trying instead.
   */
  readonly fallBack?: (reason: string) => void
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * The run's config; without a fallback, retried with back-off until the root serves a good one. While the
 * server has no run (a `pando-server` with no root yet) the page waits for one, fallback or not.
 */
async function loadConfig(page: VolunteerPage, canFallBack: boolean): Promise<RunConfig | Error> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fetchRunConfig(location.href)
    } catch (error) {
      const failure = error instanceof Error ? error : new Error(String(error))
      if (failure instanceof NoRunYetError) {
        page.setPhase('waiting-for-run')
        await sleep(reconnectDelay(attempt))
        continue
      }
      if (canFallBack) return failure
      page.view.showMessage(`The run's configuration could not be loaded: ${failure.message}`)
      await sleep(reconnectDelay(attempt))
    }
  }
}

/** Excluded for its results: the tab has left the tree for good (its children rejoin through the root). */
function showExclusion(tree: TreeVolunteer, page: VolunteerPage): void {
  tree.node.on('excluded', (reason) => page.exclude(`it ${reason}`))
}

/**
 * The WebRTC transport: fetches the run's config, joins the tree through the signaling relay, and shows the
 * tab's place in it. Each parent starts the tab's work under it (see {@link TreeVolunteer}).
 */
export async function startTreeVolunteer(page: VolunteerPage, options: TreePageOptions): Promise<void> {
  const { view } = page
  const fallBack = options.fallBack
  view.setTransport('WebRTC')
  const signaling = new JoinSignaling(options.joinUrl)
  const hasWebRtc = typeof RTCPeerConnection === 'function'
  // The first join attempt's handshake overlaps the config's request.
  if (hasWebRtc) signaling.preconnect()
  const config = await loadConfig(page, fallBack !== undefined)
  if (config instanceof Error) {
    signaling.dropPreconnected()
    return fallBack?.(`no run configuration (${config.message})`)
  }
  if (!hasWebRtc) {
    if (fallBack !== undefined) return fallBack('this browser has no WebRTC')
    return view.showMessage('This browser has no WebRTC: open the page with #protocol=websocket.')
  }
  view.showMessage(undefined)
  page.setPhase('joining')
  page.setModuleName(config.moduleName)
  page.prestartWorker(config.bundleUrl)

  const tree = createTreeVolunteer(page, config, signaling)
  page.onWorkersChange((workers) => tree.setWorkers(workers))
  // A paused tab keeps its place and relays for its children; what it holds unstarted goes back up.
  page.onPauseChange((paused) => tree.setPaused(paused))
  showPlace(page, tree)
  showExclusion(tree, page)
  view.setVolunteerId(tree.node.id)
  // A tab closed by its volunteer closes its links on the way out: the peers hear it at once, instead of
  // waiting a heartbeat. (A handler also keeps the browser from ending the tab before it runs.)
  addEventListener('pagehide', () => tree.close())
  if (fallBack !== undefined) watchJoins(page, tree, config, fallBack)
  tree.start()
}

/** The tab's place in the tree, with its Workers started by each parent it joins. */
function createTreeVolunteer(
  page: VolunteerPage,
  config: RunConfig,
  signaling: JoinSignaling,
): TreeVolunteer {
  const { view } = page
  return new TreeVolunteer(
    { ...config, workers: page.workers, paused: page.paused },
    {
      connector: createWebRtcConnector({ iceServers: config.iceServers as RTCIceServer[] }),
      signaling,
      createRunner: (onOutcomes) =>
        page.startWorkers(
          {
            bundleUrl: config.bundleUrl,
            itemTimeoutMs: config.itemTimeoutMs,
            itemTimeoutPercent: config.itemTimeoutPercent,
          },
          onOutcomes,
        ),
      buildReport: (place, final) => page.buildReport(place, final),
      browserMark: () => page.browserMark,
      onBrowserMark: (mark) => page.rememberBrowserMark(mark),
      onProtocolError: (error) => view.showMessage(`A peer broke the protocol: ${error.message}`),
      onProgress: (progress) => page.setRunProgress(progress),
      onFinished: () => page.finish(),
    },
  )
}

/** Shows the tab's phase, its depth and parent, and its count of children, as they change. */
function showPlace(page: VolunteerPage, tree: TreeVolunteer): void {
  const { view } = page
  const node = tree.node
  const showPosition = (): void => view.setPosition(node.depth, node.parentId)
  const showChildren = (): void => view.setChildren(node.children.length)
  node.on('parent', () => {
    page.setPhase('connected')
    showPosition()
  })
  node.on('position', showPosition)
  node.on('parent-lost', () => {
    page.setPhase('reconnecting')
    showPosition()
  })
  // A pando-server whose root left refuses joins until the next one registers: the tab waits for a run.
  node.on('join-failed', (error) => {
    if (isNoRunRefusal(error)) page.setPhase('waiting-for-run')
  })
  node.on('child', showChildren)
  node.on('child-left', showChildren)
}

/** Falls back to the WebSocket when the tab cannot join the tree (see {@link JoinFallback}). */
function watchJoins(
  page: VolunteerPage,
  tree: TreeVolunteer,
  config: RunConfig,
  fallBack: (reason: string) => void,
): void {
  const watch = new JoinFallback(
    { maxFailures: FALLBACK_FAILED_JOINS, timeoutMs: config.bootstrapTimeoutMs },
    (reason) => {
      tree.close()
      page.view.setVolunteerId(undefined)
      fallBack(`the WebRTC join failed: ${reason}`)
    },
  )
  tree.node.on('parent', () => watch.joined())
  tree.node.on('join-failed', (error) => watch.failed(error))
  watch.start()
}
