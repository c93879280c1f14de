import { CLOSE_TRY_AGAIN_LATER, NO_RUN_REASON, ROOT_PATH, RUN_ENDED_REASON } from '@pando/protocol'
import type { WebSocket } from 'ws'
import type { AccessOptions } from './access.ts'
import { DEFAULT_HEARTBEAT_MS } from './constants.ts'
import type { JoinRelayOptions } from './join-relay.ts'
import { RootRegistry, type RootRegistryEvent } from './root-registry.ts'
import { createServer, type PandoServer } from './server.ts'
import { closeVolunteer } from './volunteer-tunnel.ts'

export interface HostingServerOptions {
  /** TCP port; 0 picks a free one. @default DEFAULT_PORT (5000) */
  readonly port?: number
  /** Interface to listen on. @default all interfaces */
  readonly host?: string
  /** What a root must give to register. Required: there is no default secret. */
  readonly secret: string
  /** The built volunteer page, served at `/`. */
  readonly volunteerDir: string
  /** The built dashboard page, served at `/monitor/`. */
  readonly dashboardDir?: string
  /** Ping interval of volunteers, viewers and the root link. @default 2_000 ms */
  readonly heartbeatMs?: number
  /** The signaling relay's options: which ICE candidates it lets through, how origins are made… */
  readonly join?: Omit<JoinRelayOptions, 'onJoinSignal'>
  /** What happens on the root link, for the log. */
  readonly onEvent?: (event: RootRegistryEvent) => void
  /** Hears a bug on this side while taking the root's message (see `RootRegistryOptions.onInternalError`). */
  readonly onInternalError?: (error: unknown) => void
  /** @default WRONG_SECRET_DELAY_MS */
  readonly wrongSecretDelayMs?: number
  /**
   * The server's access token and the host names it answers to (see `ServerOptions.access`); the root is
   * given the token in its `welcome`. The root link itself needs no token: the secret guards it.
   */
  readonly access?: AccessOptions
  /** The secret shared with the TURN servers of the roots' run configs (see `ServerOptions.turnSecret`). */
  readonly turnSecret?: string
}

export interface HostingServer {
  readonly port: number
  /** URLs volunteers can open (they wait while no root is registered). */
  readonly urls: readonly string[]
  /** URLs of the dashboard. */
  readonly dashboardUrls: readonly string[]
  /** Sends the root away, removes its files, closes every connection and stops listening. Idempotent. */
  close(): Promise<void>
}

/**
 * A `pando-server`: the volunteer page, the dashboard, the signaling relay and the volunteers' WebSocket,
 * for a run whose root is elsewhere. One root at a time registers on `/root` with the secret and hands over
 * its files; until then tabs are told to come back later (`/run/` answers 503, `/volunteer` closes with
 * 1013 and the reason, `/join` rejects), which the page does by itself with back-off. Between runs, the 503
 * says whether the last run finished (its root closed its link normally) or not (see `RUN_ENDED_REASON`).
 */
export async function createHostingServer(options: HostingServerOptions): Promise<HostingServer> {
  const heartbeatMs = options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS
  let server: PandoServer | undefined
  let urls: ServerUrls = { urls: [], dashboardUrls: [] }
  const registry = createRootRegistry(options, heartbeatMs, {
    server: () => server,
    urls: () => urls,
  })
  const refuseVolunteer = (socket: WebSocket): void => {
    closeVolunteer(socket, CLOSE_TRY_AGAIN_LATER, NO_RUN_REASON)
  }
  try {
    server = await createServer({
      ...(options.port === undefined ? {} : { port: options.port }),
      ...(options.host === undefined ? {} : { host: options.host }),
      volunteerDir: options.volunteerDir,
      ...(options.dashboardDir === undefined ? {} : { dashboardDir: options.dashboardDir }),
      runDir: () => registry.runDir,
      noRunReason: () => (registry.lastRunFinished ? RUN_ENDED_REASON : NO_RUN_REASON),
      heartbeatMs,
      onVolunteer: (socket) => {
        if (!registry.openVolunteer(socket)) refuseVolunteer(socket)
      },
      join: {
        ...options.join,
        onJoinSignal: (message) => {
          if (!registry.forwardJoinSignal(message)) {
            server?.sendToJoiner(message.origin, { type: 'rejected', reason: NO_RUN_REASON })
          }
        },
      },
      endpoints: { [ROOT_PATH]: registry.wss },
      ...(options.access === undefined ? {} : { access: options.access }),
      ...(options.turnSecret === undefined ? {} : { turnSecret: options.turnSecret }),
    })
  } catch (error) {
    await registry.close()
    throw error
  }
  const { port } = server
  urls = { urls: server.urls, dashboardUrls: server.dashboardUrls }
  const started = server
  let closing: Promise<void> | undefined
  return {
    port,
    ...urls,
    close: () => {
      closing ??= (async () => {
        await registry.close()
        await started.close()
      })()
      return closing
    },
  }
}

/** The URLs of the pages, as the root is told them in its `welcome`. */
interface ServerUrls {
  readonly urls: readonly string[]
  readonly dashboardUrls: readonly string[]
}

/**
 * The registry of the root link, which reaches the volunteers and the dashboards through the server once it
 * is started (`now.server()`), and tells the root its URLs (`now.urls()`).
 */
function createRootRegistry(
  options: HostingServerOptions,
  heartbeatMs: number,
  now: { server: () => PandoServer | undefined; urls: () => ServerUrls },
): RootRegistry {
  return new RootRegistry({
    secret: options.secret,
    heartbeatMs,
    welcome: () => ({
      ...now.urls(),
      ...(options.access?.token === undefined ? {} : { token: options.access.token }),
    }),
    sendToJoiner: (origin, message) => now.server()?.sendToJoiner(origin, message),
    broadcastStatus: (message) => now.server()?.broadcastStatus(message),
    ...(options.onEvent === undefined ? {} : { onEvent: options.onEvent }),
    ...(options.onInternalError === undefined ? {} : { onInternalError: options.onInternalError }),
    ...(options.wrongSecretDelayMs === undefined ? {} : { wrongSecretDelayMs: options.wrongSecretDelayMs }),
  })
}
