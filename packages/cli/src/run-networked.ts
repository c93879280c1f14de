import { writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { BUNDLE_FILENAME, BundleError, BundleWriteError, bundleModule } from '@pando/bundler'
import {
  MAX_LINK_ITEM_CHARS,
  RUN_CONFIG_FILENAME,
  RUN_FINISHED_GRACE_MS,
  RUN_PATH,
  VOLUNTEER_PROTOCOL_VERSION,
  type MonitorStatus,
  type ProcessFunction,
  type RunConfig,
  type RunProgress,
} from '@pando/protocol'
import type { BatchSize, Standing } from '@pando/scheduler'
import {
  BrowserMarks,
  serveVolunteer,
  startTreeRoot,
  wsVolunteerSocket,
  type ServedVolunteer,
  type TreeRoot,
  type VolunteerSocket,
} from '@pando/endpoints'
import { createAccessToken, createServer, type PandoServer, type ServerOptions } from '@pando/server'
import { distRoot as dashboardRoot } from '@pando/dashboard/paths'
import { distRoot } from '@pando/volunteer/paths'
import { bundleCacheDir } from './bundle-cache-dir.ts'
import { RunStoppedError, UsageError } from './errors.ts'
import { printInternalError, printMessage, printNotice } from './exit.ts'
import { makeRunDirectory } from './run-directory.ts'
import { onShutdown } from './shutdown.ts'
import type { ItemChannel, RunEnding } from './item-channel.ts'
import { bundleIdentity } from './journal/module-identity.ts'
import { createRootLender } from './lend-items.ts'
import { withSchedulerDebug } from './monitoring/debug-log.ts'
import { lendLocally } from './local-worker.ts'
import { ReportBoard } from './monitoring/report-board.ts'
import { VolunteerRoster } from './monitoring/volunteer-roster.ts'
import { startRunReporting } from './monitoring/run-reporting.ts'
import type { RunMonitor } from './monitoring/run-monitor.ts'
import { printQrCode } from './networked/qr-code.ts'
import { connectToHost, type HostHandlers } from './networked/connect-to-host.ts'
import { createRunIds, type RunIds } from './networked/run-ids.ts'
import { terminalText } from './terminal-text.ts'
import { LOOPBACK_ADDRESS, PEER_NAME_CHARS } from './constants.ts'
import { findChromium } from './networked/find-chromium.ts'
import { launchVolunteerBrowser } from './networked/volunteer-tabs.ts'
import type { RunOptions } from './parse-arguments.ts'
import { iceServersFor, rootIceServers } from './turn-options.ts'

/** What a networked run gets: the same as a local one, plus the options (the module path, to bundle it). */
export interface NetworkedRun {
  readonly options: RunOptions
  /** The module's function, when this process computes too (`--no-start-idle`). */
  readonly process?: ProcessFunction
  readonly channel: ItemChannel
}

/** Where the pages find the bundled module, relative to the page: one place for both transports. */
const BUNDLE_URL = `${RUN_PATH.slice(1)}/${BUNDLE_FILENAME}`

/** `--batch-size 0` (the default) lets each volunteer's batch follow its speed. */
const batchSizeOf = (options: RunOptions): BatchSize => (options.batchSize === 0 ? 'auto' : options.batchSize)

/** What must be undone at the end of a run, last started first. */
type Release = () => unknown

/** The volunteers' pages, as the root tells them about the run: the same to both transports. */
interface VolunteerPages {
  /** Passes the run's progress to every page (down the tree, and on each WebSocket). */
  sendProgress(progress: RunProgress): void
  /**
   * Tells the tabs of the WebRTC tree the run is over: each sends its last report up at once, its subtree's
   * with it, so that the last status counts what every tab computed, at any depth.
   */
  finishTree(): void
  /** Tells every page the run is over; they stop instead of reconnecting. */
  finish(): void
  /**
   * Closes the tab `id` of the WebRTC tree, excluded for its results, wherever it is: its parent closes
   * its link (the root's own child: the root does). Nothing for an id that is no tree tab.
   */
  closeTab(id: string, reason: string): void
}

/** What the pages are told of a status: items done, and the total once known. */
const progressOf = (status: MonitorStatus): RunProgress => ({
  done: status.totals.done,
  total: status.run.itemsTotal,
})

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

/** What a run needs of its server: the one it starts, or a remote `pando-server` (`--host`). */
type VolunteerHost = Pick<
  PandoServer,
  'urls' | 'dashboardUrls' | 'broadcastStatus' | 'sendToJoiner' | 'close'
>

/** The root's lender, told on the scheduler debug namespace when it is on. */
type RootLender = ReturnType<typeof createRootLender>

/**
 * The root's lender, and the browser marks of a run that judges results: only such a run excludes
 * volunteers, and needs to know their browsers again.
 */
function createLending(
  options: NetworkedRun['options'],
  channel: NetworkedRun['channel'],
  maxItemChars: number,
  closeTab: (id: string, reason: string) => void,
): { lender: RootLender; marks: BrowserMarks | undefined } {
  const marks = options.replicas > 1 || options.spotCheck > 0 ? new BrowserMarks() : undefined
  const lender = withSchedulerDebug(
    createRootLender(channel.items, { ...options, maxItemChars }, channel.record, {
      onExcluded: (standing) => {
        printMessage(exclusionMessage(standing))
        marks?.exclude(standing.name, standing.excluded ?? 'was excluded')
        // A tab of the tree, at any depth (a root sub-stream was closed already: its link is gone).
        closeTab(standing.name, standing.excluded ?? 'was excluded')
      },
    }),
  )
  return { lender, marks }
}

/**
 * The networked mode: bundles the module for the volunteers' Workers into a directory of this run, serves
 * the volunteer page, lends the items to the tabs of the WebRTC tree and to the volunteers that use the
 * WebSocket fallback (and to this process too with `--no-start-idle`), and writes the results in input
 * order.
 */
export async function runNetworked({ options, process, channel }: NetworkedRun): Promise<RunEnding> {
  const chromium = options.volunteers > 0 ? findChromium() : undefined
  const runDirectory = await makeRunDirectory()
  const runDir = runDirectory.path
  const releases: Release[] = [() => runDirectory.remove()]
  const releaseAll = async (): Promise<void> => {
    for (const release of releases.splice(0).reverse()) await release()
  }
  const unregister = onShutdown(releaseAll)
  const { stopped, stop } = stopSignal()
  const roster = new VolunteerRoster({
    notify: printNotice,
    reportingIntervalMs: options.reportingIntervalMs,
  })
  let reporting: RunMonitor | undefined
  try {
    await prepareRunDir(options, runDir, channel)
    // Only volunteers compute: an item larger than any link to them carries fails at once (not retried).
    const maxItemChars = options.startIdle ? MAX_LINK_ITEM_CHARS : Number.POSITIVE_INFINITY
    // The tree starts after the lender: an exclusion before it has no tab to close.
    let closeTab: VolunteerPages['closeTab'] = () => undefined
    const { lender, marks } = createLending(options, channel, maxItemChars, (id, reason) =>
      closeTab(id, reason),
    )
    const board = new ReportBoard()
    const { server, pages } = await serveVolunteers(
      options,
      runDir,
      {
        lender,
        board,
        roster,
        ...(marks === undefined ? {} : { marks }),
        statusNow: () => reporting?.status(),
      },
      releases,
      stop,
    )
    closeTab = (id, reason) => pages.closeTab(id, reason)
    await announceUrls(options, server)
    reporting = startReporting(options, { lender, board, roster }, server, pages)
    // On a signal, the releases run without the `finally` below.
    releases.push(() => {
      roster.end()
      reporting?.stop()
    })
    if ((!options.startIdle || options.spotCheck > 0) && process !== undefined) {
      releases.push(lendLocally(lender, process, options.itemTimeout))
    }
    if (chromium !== undefined) await openVolunteerTabs(chromium, options, server, releases)
    const ending = await Promise.race([channel.deliver(lender.source), stopped])
    await tellRunFinished(roster, pages, reporting)
    return ending
  } finally {
    // Before anything is released: the volunteers that the end of the run disconnects are no news, and the
    // final status (the summary, the dashboards' last view) counts the volunteers still connected.
    roster.end()
    reporting?.stop()
    unregister()
    await releaseAll()
  }
}

/** `--volunteers N`: opens N tabs of a headless Chromium on the run's first URL, closed with the run. */
async function openVolunteerTabs(
  chromium: string,
  options: RunOptions,
  server: VolunteerHost,
  releases: Release[],
): Promise<void> {
  const tabs = await launchVolunteerBrowser(chromium)
  releases.push(() => tabs.close())
  await tabs.open(server.urls[0] ?? '', options.volunteers, options.workers)
}

/** Rejected by `stop` when the run cannot go on (its link to a remote pando-server is lost). */
function stopSignal(): { stopped: Promise<never>; stop: (error: Error) => void } {
  let stop: (error: Error) => void = () => undefined
  const stopped = new Promise<never>((_, reject) => (stop = reject))
  stopped.catch(() => undefined)
  return { stopped, stop }
}

/** Tells where volunteers join (and, with `--qr`, the code of the last URL) and where the dashboard is. */
async function announceUrls(options: RunOptions, server: VolunteerHost): Promise<void> {
  printMessage(`volunteers can join at ${server.urls.join(' or ')}`)
  printMessage(`the dashboard is at ${server.dashboardUrls[0] ?? ''}`)
  if (options.qr) await printQrCode(server.urls.at(-1) ?? '')
}

/** Bundles the module into the run's directory, writes the pages' config beside it, and begins the journal. */
async function prepareRunDir(options: RunOptions, runDir: string, channel: ItemChannel): Promise<void> {
  await bundle(options.module, runDir)
  await writeFile(path.join(runDir, RUN_CONFIG_FILENAME), JSON.stringify(runConfig(options)))
  channel.record?.begin(await bundleIdentity(runDir))
}

/** Reports the run's status every interval: on stderr, to the dashboards, and as progress to the pages. */
function startReporting(
  options: RunOptions,
  { lender, board, roster }: ServingComponents,
  server: VolunteerHost,
  pages: VolunteerPages,
): RunMonitor {
  return startRunReporting({
    lender,
    ...(options.replicas > 1 || options.spotCheck > 0 ? { standings: () => lender.standings() } : {}),
    board,
    intervalMs: options.reportingIntervalMs,
    ...(options.stdin ? {} : { itemsTotal: options.items.length }),
    roster,
    progress: options.progress,
    quiet: options.quiet,
    broadcast: (status) => {
      server.broadcastStatus(status)
      pages.sendProgress(progressOf(status))
    },
  })
}

/**
 * The run is over, whatever its ending. The tree's tabs are told first, and their last reports come up
 * within the grace; then the last status, while every volunteer is connected (the dashboards' last view
 * and the pages' last progress count them all); then the WebSocket pages are told, and say so instead of
 * waiting to reconnect.
 */
async function tellRunFinished(
  roster: VolunteerRoster,
  pages: VolunteerPages,
  reporting: RunMonitor,
): Promise<void> {
  roster.end()
  pages.finishTree()
  await sleep(RUN_FINISHED_GRACE_MS)
  reporting.stop()
  pages.finish()
  await sleep(RUN_FINISHED_GRACE_MS)
}

/** What the volunteer pages read from `run/config.json`. */
function runConfig(options: RunOptions): RunConfig {
  return {
    protocolVersion: VOLUNTEER_PROTOCOL_VERSION,
    bundleUrl: BUNDLE_URL,
    moduleName: moduleNameOf(options),
    degree: options.degree,
    bootstrapTimeoutMs: options.bootstrapTimeoutMs,
    heartbeatMs: options.heartbeatMs,
    batchSize: batchSizeOf(options),
    reportingIntervalMs: options.reportingIntervalMs,
    // A relative --item-timeout is measured in each tab, from the items its Workers time.
    ...(typeof options.itemTimeout === 'number'
      ? { itemTimeoutMs: options.itemTimeout }
      : { itemTimeoutMs: 0, itemTimeoutPercent: options.itemTimeout.percent }),
    // The server this process starts makes each page's TURN credentials from the secret when it serves this
    // file; a remote pando-server (`--host`) serves it as it is, so its pages share credentials made here.
    iceServers: options.host === undefined ? [...options.ice.iceServers] : iceServersFor(options.ice),
  }
}

/** The module's file name, shown on the volunteers' pages. */
const moduleNameOf = (options: RunOptions): string => path.basename(options.module)

/** The collaborators that serve the volunteers of both transports: what they lend from and report to. */
interface ServingComponents {
  readonly lender: RootLender
  readonly board: ReportBoard
  readonly roster: VolunteerRoster
  readonly marks?: BrowserMarks
  /** The run's status now, for a dashboard that connects (`undefined` before the reporting starts). */
  readonly statusNow?: () => MonitorStatus | undefined
}

/**
 * Starts the server (or registers with the remote one, `--host`) and the root of the WebRTC tree, both
 * lending from `lender`; `pages` reaches the volunteers of both.
 */
async function serveVolunteers(
  options: RunOptions,
  runDir: string,
  components: ServingComponents,
  releases: Release[],
  stop: (error: Error) => void,
): Promise<{ server: VolunteerHost; pages: VolunteerPages }> {
  let tree: TreeRoot | undefined
  const ids = createRunIds(options.seed)
  const sockets = serveSocketVolunteers(options, components, ids)
  const server = await openVolunteerHost(options, runDir, ids, {
    onVolunteer: sockets.onVolunteer,
    onJoinSignal: (message) => tree?.handleJoinSignal(message),
    stop,
    ...(components.statusNow === undefined ? {} : { statusNow: components.statusNow }),
  })
  releases.push(() => server.close())
  tree = startTreeRoot({
    lender: components.lender,
    degree: options.degree,
    bootstrapTimeoutMs: options.bootstrapTimeoutMs,
    heartbeatMs: options.heartbeatMs,
    batchSize: batchSizeOf(options),
    iceServers: rootIceServers(options.ice),
    ...(options.iceAddresses === 'loopback' ? { bindAddress: LOOPBACK_ADDRESS } : {}),
    sendToJoiner: (origin, message) => server.sendToJoiner(origin, message),
    board: components.board,
    roster: components.roster,
    onInternalError: printInternalError,
    ...(ids.treeRandom === undefined ? {} : { random: ids.treeRandom }),
    ...(components.marks === undefined
      ? {}
      : {
          marks: components.marks,
          onRefused: noticeRefused,
          onTabRefused: (id: string, why: string) => components.lender.refuse(id, why),
        }),
  })
  releases.push(() => tree?.close())
  const pages: VolunteerPages = {
    sendProgress: (progress) => {
      tree?.sendProgress(progress)
      sockets.sendProgress(progress)
    },
    finishTree: () => tree?.finish(),
    closeTab: (id, reason) => tree?.closeTab(id, reason),
    finish: () => {
      tree?.finish()
      sockets.finish()
    },
  }
  return { server, pages }
}

/** Says on stderr that a page or a tree tab came back from a browser excluded earlier (once per browser). */
function noticeRefused(label: string, why: string): void {
  printNotice(
    `a volunteer was refused: '${terminalText(label, PEER_NAME_CHARS)}' came back from a browser excluded earlier in this run (it ${why})`,
  )
}

/** The volunteers on a socket (the WebSocket fallback, or tunnelled through a remote `pando-server`). */
interface SocketVolunteers {
  /** Serves a volunteer that connected. */
  onVolunteer(socket: VolunteerSocket): void
  /** Passes the run's progress to each of them. */
  sendProgress(progress: RunProgress): void
  /** Tells each of them the run is over, and any that comes back later at once. */
  finish(): void
}

/** Serves every volunteer that connects on a socket, and keeps those connected within reach. */
function serveSocketVolunteers(
  options: RunOptions,
  { lender, board, roster, marks }: ServingComponents,
  ids: RunIds,
): SocketVolunteers {
  const served = new Set<ServedVolunteer>()
  let runFinished = false
  const onVolunteer = (socket: VolunteerSocket): void => {
    const volunteer = serveVolunteer(socket, {
      lender,
      config: { bundleUrl: BUNDLE_URL, moduleName: moduleNameOf(options) },
      batchSize: batchSizeOf(options),
      volunteerId: ids.volunteerId(),
      heartbeatMs: options.heartbeatMs,
      board,
      onInternalError: printInternalError,
      // The name and the reason are the volunteer's words (a reason may quote what it sent): the roster
      // makes them safe for the terminal.
      onJoin: (device) => roster.join(socket, 1, device),
      onLeave: (reason) => roster.leave(socket, reason),
      ...(marks === undefined
        ? {}
        : {
            marks,
            onRefused: noticeRefused,
          }),
    })
    // A page that comes back in the last moments of a run is told at once that it is over.
    if (runFinished) {
      volunteer.finish()
      return
    }
    served.add(volunteer)
    socket.onClose(() => served.delete(volunteer))
  }
  return {
    onVolunteer,
    sendProgress: (progress) => {
      for (const volunteer of served) volunteer.sendProgress(progress)
    },
    finish: () => {
      runFinished = true
      for (const volunteer of served) volunteer.finish()
    },
  }
}

/** Starts this run's server, or registers with the remote `pando-server` that `--host` names. */
async function openVolunteerHost(
  options: RunOptions,
  runDir: string,
  ids: RunIds,
  { onVolunteer, onJoinSignal, stop, statusNow }: HostHandlers & Pick<ServingComponents, 'statusNow'>,
): Promise<VolunteerHost> {
  if (options.host !== undefined) {
    return connectToHost(options.host, options, runDir, { onVolunteer, onJoinSignal, stop })
  }
  return listen({
    port: options.port,
    ...(options.listen === undefined ? {} : { host: options.listen }),
    access: {
      token: options.open ? undefined : createAccessToken(),
      allowedHosts: options.allowHosts,
    },
    volunteerDir: distRoot,
    dashboardDir: dashboardRoot,
    ...(statusNow === undefined ? {} : { statusNow }),
    runDir,
    heartbeatMs: options.heartbeatMs,
    ...(options.ice.turnSecret === undefined ? {} : { turnSecret: options.ice.turnSecret }),
    onVolunteer: (socket) => onVolunteer(wsVolunteerSocket(socket)),
    join: {
      addresses: options.iceAddresses,
      attemptTimeoutMs: options.bootstrapTimeoutMs,
      onJoinSignal,
      onInternalError: (error) => printInternalError("relaying a joiner's signal", error),
      ...(ids.origin === undefined ? {} : { newOrigin: ids.origin }),
    },
  })
}

/** The stderr line naming a volunteer excluded for its results (replication). */
export function exclusionMessage(standing: Standing): string {
  const { name, outvoted, agreed, caught } = standing
  const why =
    caught > 0
      ? "its result differed from this process's own on a spot check"
      : `its results were outvoted on ${String(outvoted)} items and agreed on ${String(agreed)}`
  return `volunteer '${terminalText(name, PEER_NAME_CHARS)}' is excluded: ${why}; what it held is computed by others`
}

async function bundle(module: string, outDir: string): Promise<void> {
  try {
    await bundleModule({ modulePath: path.resolve(module), outDir, cacheDir: bundleCacheDir() })
  } catch (error) {
    if (error instanceof Error && error.name === BundleError.name) {
      throw new UsageError(
        `${error.message}\n(the module must bundle for a browser Worker: fix it, or use --local)`,
      )
    }
    if (error instanceof BundleWriteError) {
      const reason = error.cause instanceof Error ? error.cause.message : error.code
      const fix =
        error.code === 'ENOSPC'
          ? 'free some space there, or set TMPDIR to a directory with room'
          : 'set TMPDIR to a writable directory'
      throw new RunStoppedError(
        `cannot write the module's bundle to ${error.outDir} (${reason}): the run's files go to TMPDIR ` +
          `(${os.tmpdir()}): ${fix}`,
      )
    }
    throw error
  }
}

async function listen(options: ServerOptions): Promise<PandoServer> {
  try {
    return await createServer(options)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new UsageError(
        `port ${options.port} is in use: choose another with --port, or --port 0 for a free one`,
      )
    }
    if ((error as NodeJS.ErrnoException).code === 'EADDRNOTAVAIL') {
      throw new UsageError(`--listen ${options.host ?? ''} is not an address of this machine`)
    }
    throw error
  }
}
