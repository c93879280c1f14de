import { once } from 'node:events'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import {
  CLOSE_GOING_AWAY,
  DEFAULT_PORT,
  JOIN_PATH,
  MAX_VIEWERS_PER_ADDRESS,
  MAX_VOLUNTEER_MESSAGE_BYTES,
  MAX_VOLUNTEER_SOCKETS_PER_ADDRESS,
  MONITOR_FEED_PATH,
  MONITOR_PATH,
  NO_RUN_REASON,
  RUN_PATH,
  VOLUNTEER_PATH,
  type MonitorMessage,
  type RelayToJoiner,
} from '@pando/protocol'
import express from 'express'
import type { WebSocket, WebSocketServer } from 'ws'
import { AccessGuard, HASHED_ASSET, withToken, type AccessOptions } from './access.ts'
import { listeningUrls } from './addresses.ts'
import {
  CLOSE_GRACE_MS,
  DEFAULT_HEARTBEAT_MS,
  IMMUTABLE_CACHE_CONTROL,
  NO_RUN_RETRY_AFTER_S,
} from './constants.ts'
import { ConnectionLimit } from './connection-limit.ts'
import { startHeartbeat } from './heartbeat.ts'
import { securityHeaders } from './security-headers.ts'
import { JoinRelay, type JoinRelayOptions } from './join-relay.ts'
import { createMonitorFeed } from './monitor-feed.ts'
import { runConfigWithTurnCredentials } from './run-config-route.ts'
import { createEndpoint } from './websocket-endpoint.ts'

export interface ServerOptions {
  /** TCP port; 0 picks a free one. @default DEFAULT_PORT (5000) */
  port?: number
  /** Interface to listen on. @default all interfaces */
  host?: string
  /** The built volunteer page, served at `/`. */
  volunteerDir: string
  /**
   * The files of this run (the bundled module), served at `/run/`; or where they are now, `undefined` while
   * there is no run (a `pando-server` without a root): `/run/` then answers 503, to be tried again later.
   */
  runDir: string | (() => string | undefined)
  /**
   * Why there is no run, as `/run/` says it with its 503: that the last run finished (`RUN_ENDED_REASON`) or
   * that none has started (`NO_RUN_REASON`). @default () => NO_RUN_REASON
   */
  noRunReason?: () => string
  /** WebSocket ping interval; a volunteer silent for one interval is dropped. @default 2_000 ms */
  heartbeatMs?: number
  /** Called for each volunteer WebSocket connection. The server owns its liveness, not its messages. */
  onVolunteer: (socket: WebSocket) => void
  /**
   * The built dashboard page, served at `/monitor/`. Without it, `/monitor/` is not served, but the feed
   * (`/monitor/feed`) still works.
   */
  dashboardDir?: string
  /**
   * The run's status now, which a dashboard viewer gets when it connects (else the last one broadcast, if
   * any): the dashboard agrees at once with what the terminal said last.
   */
  statusNow?: () => MonitorMessage | undefined
  /**
   * The signaling relay of the WebRTC tree, at `/join`: where joiners' signals go (the root) and which ICE
   * candidates it lets through. Without it, `/join` is refused.
   */
  join?: JoinRelayOptions
  /** More WebSocket endpoints, by path (a `pando-server`'s `/root`); their owners close them. */
  endpoints?: Readonly<Record<string, WebSocketServer>>
  /**
   * Who may use the server: its token and the host names it answers to. `Host` and `Origin` are always
   * checked; without a token (the default here: `pando` always gives one unless `--open`), none is required.
   */
  access?: AccessOptions
  /**
   * The secret shared with the TURN servers of the run's config (coturn's `static-auth-secret`): each page
   * that fetches `run/config.json` is given time-limited credentials for them, made from it. Without it, the
   * config is served as the run wrote it.
   */
  turnSecret?: string
}

export interface PandoServer {
  readonly port: number
  /** URLs volunteers can open, localhost first, with the token. */
  readonly urls: readonly string[]
  /** URLs of the dashboard, localhost first, with the token; empty without `dashboardDir`. */
  readonly dashboardUrls: readonly string[]
  readonly httpServer: http.Server
  /**
   * Sends a status to every dashboard viewer (`/monitor/feed`); a viewer that connects later gets the
   * status now (`statusNow`), or else the last one, at once. A viewer whose connection lags far behind skips statuses rather than queueing them.
   */
  broadcastStatus(message: MonitorMessage): void
  /** How many dashboard viewers are connected. */
  monitorViewerCount(): number
  /** Passes the tree's answer to the join attempt `origin` (see {@link JoinRelay.sendToJoiner}). */
  sendToJoiner(origin: string, message: RelayToJoiner): void
  /** Closes every connection and stops listening. Idempotent. */
  close(): Promise<void>
}

function createApp(options: ServerOptions, guard: AccessGuard): express.Express {
  const app = express()
  app.disable('x-powered-by')
  app.use(securityHeaders())
  app.use(guard.middleware())
  if (options.turnSecret !== undefined) {
    const { runDir } = options
    const dirNow = typeof runDir === 'string' ? () => runDir : runDir
    app.use(RUN_PATH, runConfigWithTurnCredentials(dirNow, options.turnSecret))
  }
  app.use(RUN_PATH, runFiles(options.runDir, options.noRunReason ?? (() => NO_RUN_REASON)))
  // `/monitor` redirects to `/monitor/`, so the page's relative URLs (scripts, the feed) resolve under it.
  if (options.dashboardDir !== undefined) app.use(MONITOR_PATH, pageFiles(options.dashboardDir))
  app.use(pageFiles(options.volunteerDir))
  return app
}

/**
 * Serves a built page: its hashed scripts are cached for good (a hundred tabs opened at once load them once,
 * not once each), its `index.html` is checked again every time (it names the scripts of the current build).
 */
function pageFiles(dir: string): express.Handler {
  return express.static(dir, {
    setHeaders: (response, filePath) => {
      if (HASHED_ASSET.test(filePath)) response.setHeader('Cache-Control', IMMUTABLE_CACHE_CONTROL)
    },
  })
}

/** Serves the run's files from `runDir`, or answers 503 while there is no run, saying why (`noRunReason`). */
function runFiles(runDir: ServerOptions['runDir'], noRunReason: () => string): express.Handler {
  if (typeof runDir === 'string') return express.static(runDir, { etag: false, cacheControl: false })
  // Runs follow one another at the same URLs: a tab that rejoins must load the new run's module, not a
  // cached copy of the last one's.
  const serve = (dir: string): express.Handler =>
    express.static(dir, {
      etag: false,
      cacheControl: false,
      lastModified: false,
      setHeaders: (response) => response.setHeader('Cache-Control', 'no-store'),
    })
  let served: { readonly dir: string; readonly handler: express.Handler } | undefined
  return (request, response, next) => {
    const dir = runDir()
    if (dir === undefined) {
      response.status(503).set('Retry-After', String(NO_RUN_RETRY_AFTER_S)).type('text/plain')
      response.send(noRunReason())
      return
    }
    if (served?.dir !== dir) served = { dir, handler: serve(dir) }
    served.handler(request, response, next)
  }
}

/**
 * Hands each WebSocket upgrade to the endpoint of its path, once the guard admits it (its token, unless the
 * endpoint is one of `ownEndpoints`) and the path's limit of connections per address does.
 */
function routeUpgrades(
  httpServer: http.Server,
  guard: AccessGuard,
  endpoints: ReadonlyMap<string, WebSocketServer>,
  ownEndpoints: ReadonlySet<WebSocketServer>,
): void {
  // Join attempts have limits of their own, in the relay; a root link is one at a time.
  const limits = new Map<string, ConnectionLimit>([
    [VOLUNTEER_PATH, new ConnectionLimit(MAX_VOLUNTEER_SOCKETS_PER_ADDRESS, 'volunteer connections')],
    [MONITOR_FEED_PATH, new ConnectionLimit(MAX_VIEWERS_PER_ADDRESS, 'dashboard viewers')],
  ])
  httpServer.on('upgrade', (request, socket, head) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname
    const wss = endpoints.get(path)
    if (wss === undefined) {
      socket.destroy()
      return
    }
    if (!guard.admitUpgrade(request, socket, { needsToken: !ownEndpoints.has(wss) })) return
    wss.handleUpgrade(request, socket, head, (ws) => {
      if (limits.get(path)?.admit(ws, request) === false) return
      wss.emit('connection', ws, request)
    })
  })
}

/** Listens on the options' port and interface: resolves once listening, rejects with the listening error. */
async function listening(httpServer: http.Server, options: ServerOptions): Promise<void> {
  httpServer.listen(options.port ?? DEFAULT_PORT, options.host)
  await Promise.race([
    once(httpServer, 'listening'),
    once(httpServer, 'error').then(([error]) => Promise.reject(error as Error)),
  ])
}

/**
 * Starts the HTTP server for the volunteer page, the volunteers' WebSocket endpoint, the dashboard page and
 * its feed.
 */
export async function createServer(options: ServerOptions): Promise<PandoServer> {
  const guard = new AccessGuard(options.access)
  const httpServer = http.createServer(createApp(options, guard))
  const volunteers = createEndpoint(MAX_VOLUNTEER_MESSAGE_BYTES)
  const stopHeartbeat = startHeartbeat(volunteers, options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS)
  volunteers.on('connection', (socket) => options.onVolunteer(socket))
  const feed = createMonitorFeed(options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS, options.statusNow)
  const relay = options.join === undefined ? undefined : new JoinRelay(options.join)
  const endpoints = new Map<string, WebSocketServer>([
    [VOLUNTEER_PATH, volunteers],
    [MONITOR_FEED_PATH, feed.wss],
    ...(relay === undefined ? [] : [[JOIN_PATH, relay.wss] as const]),
    ...Object.entries(options.endpoints ?? {}),
  ])
  // The endpoints given by the caller (a `pando-server`'s `/root`) have their own secret: no token.
  routeUpgrades(httpServer, guard, endpoints, new Set(Object.values(options.endpoints ?? {})))
  try {
    await listening(httpServer, options)
  } catch (error) {
    stopHeartbeat()
    feed.close()
    relay?.close()
    throw error
  }
  const port = (httpServer.address() as AddressInfo).port

  let closing: Promise<void> | undefined
  const close = (): Promise<void> => {
    closing ??= new Promise<void>((resolve) => {
      stopHeartbeat()
      feed.close()
      relay?.close()
      for (const socket of volunteers.clients) socket.close(CLOSE_GOING_AWAY, 'pando is shutting down')
      volunteers.close()
      httpServer.close(() => resolve())
      httpServer.closeAllConnections()
      // Sockets that do not finish their closing handshake promptly are cut.
      setTimeout(() => {
        for (const socket of [...volunteers.clients, ...feed.wss.clients]) socket.terminate()
      }, CLOSE_GRACE_MS).unref()
    })
    return closing
  }
  return {
    port,
    urls: listeningUrls(options.host, port).map((url) => withToken(url, options.access?.token)),
    dashboardUrls:
      options.dashboardDir === undefined
        ? []
        : listeningUrls(options.host, port, `${MONITOR_PATH}/`).map((url) =>
            withToken(url, options.access?.token),
          ),
    httpServer,
    broadcastStatus: (message) => feed.broadcast(message),
    monitorViewerCount: () => feed.viewerCount(),
    sendToJoiner: (origin, message) => relay?.sendToJoiner(origin, message),
    close,
  }
}
