import type { IncomingMessage } from 'node:http'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import {
  CLOSE_CUT,
  CLOSE_GOING_AWAY,
  CLOSE_INTERNAL_ERROR,
  CLOSE_MESSAGE_TOO_BIG,
  CLOSE_NORMAL,
  CLOSE_PROTOCOL_ERROR,
  CLOSE_ROOT_LEFT,
  CLOSE_TRY_AGAIN_LATER,
  DeliveredChannel,
  isProtocolError,
  Link,
  MAX_ROOT_HELLO_BYTES,
  MAX_ROOT_LINK_MESSAGE_BYTES,
  ROOT_LINK_VERSION,
  parseRootToServer,
  rootLinkTimeoutMs,
  silentLinkReason,
  type MonitorMessage,
  type RelayToJoiner,
  type RootLinkJoinSignal,
  type RootToServer,
  type RunFile,
  type ServerToRoot,
} from '@pando/protocol'
import { WebSocket, type RawData } from 'ws'
import {
  CLOSE_GRACE_MS,
  HELLO_TIMEOUT_MS,
  MAX_PENDING_ROOTS,
  MAX_ROOT_BACKLOG_BYTES,
  MAX_WRONG_SECRETS,
  WRONG_SECRET_DELAY_MS,
  WRONG_SECRET_WINDOW_MS,
} from './constants.ts'
import { LinkError } from './errors.ts'
import { processClock } from './process-clock.ts'
import { GuessLimiter, secretsMatch } from './secret.ts'
import { VolunteerTunnel } from './volunteer-tunnel.ts'
import { closeWithReason, createEndpoint } from './websocket-endpoint.ts'

/** What happens on the root link, for the server's log. Never holds a secret. */
export type RootRegistryEvent =
  | { readonly type: 'registered'; readonly address: string; readonly files: number; readonly bytes: number }
  | { readonly type: 'left'; readonly address: string; readonly reason: string }
  | { readonly type: 'refused'; readonly address: string; readonly reason: string }

export interface RootRegistryOptions {
  /** What a root must give in its `hello`. */
  readonly secret: string
  /**
   * The root link's heartbeat, told to the root in the `welcome`: both ends watch the link with the
   * protocol's `Link`, a root silent for `rootLinkTimeoutMs` of it dropped.
   */
  readonly heartbeatMs: number
  /** The server's URLs, for the `welcome`. */
  readonly welcome: () => {
    readonly urls: readonly string[]
    readonly dashboardUrls: readonly string[]
    readonly token?: string
  }
  /** Where the root's answers to joiners go: the signaling relay. */
  readonly sendToJoiner: (origin: string, message: RelayToJoiner) => void
  /** Where the root's statuses go: the dashboards' feed. */
  readonly broadcastStatus: (message: MonitorMessage) => void
  readonly onEvent?: (event: RootRegistryEvent) => void
  /**
   * Hears a bug on this side while taking a root's message (anything thrown but a {@link LinkError} or a
   * protocol error, e.g. by `sendToJoiner`): the root is not to blame, and its link is closed with 1011 and
   * {@link ROOT_LINK_FAILED_REASON}. @default none (only the close says it)
   */
  readonly onInternalError?: (error: unknown) => void
  /** @default WRONG_SECRET_DELAY_MS */
  readonly wrongSecretDelayMs?: number
}

/** The reason a root's link is closed with when pando-server failed on its message: not the root's doing. */
export const ROOT_LINK_FAILED_REASON =
  "pando-server failed on the root's message (an internal error: see pando-server's terminal)"

/** The registered root: first sending its files, then `ready`, serving volunteers. */
interface Root {
  readonly socket: WebSocket
  readonly address: string
  readonly tunnel: VolunteerTunnel
  /** The link as its `Link` watches it, from the welcome on: what the root sends is delivered to it. */
  readonly channel: DeliveredChannel<ServerToRoot>
  state: 'files' | 'ready'
  /** Its files' directory, once made. */
  dir?: string
  /** Settles when its files are written (or failed to be). */
  written?: Promise<void>
}

/** The peer's address, an IPv4 one as such rather than IPv4-mapped IPv6 (`::ffff:1.2.3.4`). */
function remoteAddress(request: IncomingMessage): string {
  const address = request.socket.remoteAddress ?? 'an unknown address'
  return address.replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/, '$1')
}

function rawText(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8')
  return (Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data)).toString('utf8')
}

function refuse(socket: WebSocket, reason: string, code = CLOSE_PROTOCOL_ERROR): void {
  closeWithReason(socket, code, reason, { type: 'error', reason } satisfies ServerToRoot)
}

/**
 * Parses a link's first message, which must be a small `hello`. One over {@link MAX_ROOT_HELLO_BYTES} is
 * refused as too big (1009), as a frame over the link's own limit is by ws.
 */
function parseHello(text: string): RootToServer {
  try {
    return parseRootToServer(text, MAX_ROOT_HELLO_BYTES)
  } catch (error) {
    if (text.length <= MAX_ROOT_HELLO_BYTES) throw error
    throw new LinkError(error instanceof Error ? error.message : String(error), CLOSE_MESSAGE_TOO_BIG)
  }
}

/**
 * The root link's server side (`/root`): checks a root's secret (in constant time, slowly when wrong,
 * a few tries per address), takes one root at a time, serves its files from a directory of its own while
 * it stays, and relays join signals, tunnelled volunteers and statuses between it and the server.
 */
export class RootRegistry {
  readonly wss = createEndpoint(MAX_ROOT_LINK_MESSAGE_BYTES)
  readonly #options: RootRegistryOptions
  readonly #limiter = new GuessLimiter({ maxFailures: MAX_WRONG_SECRETS, windowMs: WRONG_SECRET_WINDOW_MS })
  /** Removals of past roots' directories still running. */
  readonly #removals = new Set<Promise<void>>()
  #root: Root | undefined
  /** Whether the last root to leave ended its run normally (see {@link lastRunFinished}). */
  #lastRunFinished = false
  #pending = 0
  #closed = false

  constructor(options: RootRegistryOptions) {
    this.#options = options
    this.wss.on('connection', (socket, request: IncomingMessage) =>
      this.#accept(socket, remoteAddress(request)),
    )
  }

  /** The directory of the registered root's files, once they are all written. */
  get runDir(): string | undefined {
    return this.#root?.state === 'ready' ? this.#root.dir : undefined
  }

  /**
   * Whether the last root that was ready ended its run normally, closing its link with `CLOSE_NORMAL`, and
   * no root is ready now: what the pages of that run that missed its own word are told (`RUN_ENDED_REASON`).
   * A root whose link was lost, cut or refused leaves this false: its run did not finish.
   */
  get lastRunFinished(): boolean {
    return this.#lastRunFinished && this.#ready() === undefined
  }

  /** Passes a joiner's signal to the root; false when no root is ready for it. */
  forwardJoinSignal(message: RootLinkJoinSignal): boolean {
    const root = this.#ready()
    return root !== undefined && this.#sendTo(root.socket, message)
  }

  /** Tunnels a volunteer's socket to the root; false when no root is ready for it. */
  openVolunteer(socket: WebSocket): boolean {
    const root = this.#ready()
    if (root === undefined) return false
    root.tunnel.open(socket)
    return true
  }

  /** Sends the root away, removes its files and closes every link. Idempotent. */
  async close(): Promise<void> {
    this.#closed = true
    const root = this.#root
    if (root !== undefined) this.#leave(root, 'pando-server is shutting down', CLOSE_GOING_AWAY)
    for (const socket of this.wss.clients) {
      // The root gets a moment to read why; links still proving their secret get none.
      if (socket === root?.socket) setTimeout(() => socket.terminate(), CLOSE_GRACE_MS).unref()
      else socket.terminate()
    }
    this.wss.close()
    await Promise.all(this.#removals)
  }

  #ready(): Root | undefined {
    return this.#root?.state === 'ready' ? this.#root : undefined
  }

  #sendTo(socket: WebSocket, message: ServerToRoot): boolean {
    if (socket.readyState !== WebSocket.OPEN || socket.bufferedAmount > MAX_ROOT_BACKLOG_BYTES) return false
    socket.send(JSON.stringify(message))
    return true
  }

  #event(event: RootRegistryEvent): void {
    this.#options.onEvent?.(event)
  }

  #accept(socket: WebSocket, address: string): void {
    if (this.#closed) return refuse(socket, 'pando-server is shutting down', CLOSE_GOING_AWAY)
    if (this.#limiter.blocked(address)) {
      this.#event({ type: 'refused', address, reason: 'too many wrong secrets' })
      return refuse(socket, 'too many wrong secrets from this address: try again in a minute')
    }
    // A link that has not said hello holds nothing but its socket, for HELLO_TIMEOUT_MS at most: links that
    // never say hello cannot keep a real root out. Once its hello is read, it holds one of the few pending
    // places while its secret is checked (a wrong one keeps it until its delayed refusal), which bounds how
    // fast anyone can guess.
    let state: 'hello' | 'checking' | 'settled' = 'hello'
    const timer = setTimeout(
      () => refuse(socket, `no hello within ${HELLO_TIMEOUT_MS / 1000} s`),
      HELLO_TIMEOUT_MS,
    )
    const unpend = (): void => {
      if (state === 'checking') this.#pending--
      state = 'settled'
      clearTimeout(timer)
    }
    socket.on('close', (code: number, reason: Buffer) => {
      unpend()
      const root = this.#root
      if (root?.socket !== socket) return
      this.#lastRunFinished = code === CLOSE_NORMAL && root.state === 'ready'
      this.#leave(root, describeClose(code, reason))
    })
    socket.on('message', (data: RawData, isBinary: boolean) => {
      // Nothing a link sends while its secret is checked is read: its answer must come only after the delay.
      if (state === 'checking') return
      try {
        if (isBinary) throw new LinkError('binary messages are not part of the protocol')
        if (state === 'hello') {
          clearTimeout(timer)
          const hello = parseHello(rawText(data))
          if (this.#pending >= MAX_PENDING_ROOTS) {
            state = 'settled'
            throw new LinkError(
              'too many roots are registering at once: try again later',
              CLOSE_TRY_AGAIN_LATER,
            )
          }
          state = 'checking'
          this.#pending++
          this.#hello(socket, address, hello, unpend)
        } else if (this.#root?.socket === socket) {
          this.#handle(this.#root, parseRootToServer(rawText(data)))
        }
      } catch (error) {
        if (state === 'hello') state = 'settled'
        this.#refuseOver(socket, error)
      }
    })
  }

  /**
   * Sends a link away over what taking its message threw. Only what the root sent is blamed on the root: a
   * {@link LinkError} closes with its reason and code, a malformed message (a protocol error) with 1008 and
   * the reason. Anything else is a bug here, reported, and the link is closed with 1011.
   */
  #refuseOver(socket: WebSocket, error: unknown): void {
    if (error instanceof LinkError) return refuse(socket, error.message, error.code)
    if (isProtocolError(error)) return refuse(socket, error.message)
    this.#options.onInternalError?.(error)
    refuse(socket, ROOT_LINK_FAILED_REASON, CLOSE_INTERNAL_ERROR)
  }

  /** Checks a `hello`: becomes the root (`accepted`), or refuses it. */
  #hello(socket: WebSocket, address: string, message: RootToServer, accepted: () => void): void {
    if (message.type !== 'hello') throw new LinkError('the first message must be hello')
    if (message.version !== ROOT_LINK_VERSION) {
      throw new LinkError(
        `this root speaks root-link version ${message.version}, pando-server ${ROOT_LINK_VERSION}: use the same pando version on both`,
      )
    }
    if (!secretsMatch(message.secret, this.#options.secret)) {
      this.#limiter.failed(address)
      this.#event({ type: 'refused', address, reason: 'wrong secret' })
      setTimeout(
        () => refuse(socket, 'wrong secret'),
        this.#options.wrongSecretDelayMs ?? WRONG_SECRET_DELAY_MS,
      ).unref()
      return
    }
    if (this.#root !== undefined) {
      this.#event({ type: 'refused', address, reason: 'another root is registered' })
      throw new LinkError('another root is registered: wait for its run to end', CLOSE_TRY_AGAIN_LATER)
    }
    accepted()
    this.#lastRunFinished = false
    const tunnel = new VolunteerTunnel((tunnelled) => this.#sendTo(socket, tunnelled))
    const root: Root = { socket, address, state: 'files', tunnel, channel: this.#watch(socket) }
    this.#root = root
    this.#sendTo(socket, {
      type: 'welcome',
      ...this.#options.welcome(),
      heartbeatMs: this.#options.heartbeatMs,
    })
  }

  #handle(root: Root, message: RootToServer): void {
    root.channel.deliver(message)
    switch (message.type) {
      case 'heartbeat':
        return // a sign of life, heard by the root's `Link`
      case 'hello':
        throw new LinkError('hello sent twice')
      case 'run-files':
        if (root.written !== undefined) throw new LinkError('run-files sent twice')
        this.#writeFiles(root, message.files)
        return
      case 'to-joiner':
      case 'volunteer-send':
      case 'volunteer-close':
      case 'status':
        break // handled below, once the root is ready
    }
    if (root.state !== 'ready') throw new LinkError(`${message.type} before ready`)
    switch (message.type) {
      case 'to-joiner':
        return this.#options.sendToJoiner(message.origin, message.message)
      case 'volunteer-send':
        return root.tunnel.send(message.connection, message.data)
      case 'volunteer-close':
        return root.tunnel.close(message.connection, message.code, message.reason)
      case 'status':
        return this.#options.broadcastStatus(message.status)
    }
  }

  #writeFiles(root: Root, files: readonly RunFile[]): void {
    root.written = (async () => {
      const dir = await mkdtemp(path.join(os.tmpdir(), 'pando-server-run-'))
      root.dir = dir
      await Promise.all(files.map((file) => writeFile(path.join(dir, file.name), file.content)))
    })()
    root.written.then(
      () => {
        if (this.#root !== root) return
        root.state = 'ready'
        this.#sendTo(root.socket, { type: 'ready' })
        const bytes = files.reduce((sum, file) => sum + Buffer.byteLength(file.content), 0)
        this.#event({ type: 'registered', address: root.address, files: files.length, bytes })
      },
      (error: unknown) => {
        const reason = error instanceof Error ? error.message : String(error)
        refuse(root.socket, `pando-server cannot store the run's files: ${reason}`, CLOSE_INTERNAL_ERROR)
      },
    )
  }

  /**
   * Watches a root's link with the protocol's `Link`, as the root watches its end: a heartbeat every
   * `heartbeatMs`, and a root silent for `rootLinkTimeoutMs` of it dropped (told why, in case it only
   * stalled, then cut: a silent root would not answer a close).
   */
  #watch(socket: WebSocket): DeliveredChannel<ServerToRoot> {
    const timeoutMs = rootLinkTimeoutMs(this.#options.heartbeatMs)
    const channel = new DeliveredChannel<ServerToRoot>({
      send: (message) => this.#sendTo(socket, message),
      close: () => setTimeout(() => socket.terminate(), CLOSE_GRACE_MS).unref(),
    })
    new Link(channel, processClock, timeoutMs, {
      message: () => undefined,
      closed: () => undefined,
      silent: () => {
        const root = this.#root
        if (root?.socket === socket) this.#leave(root, silentLinkReason(timeoutMs))
      },
    })
    return channel
  }

  /** The root has gone (or is sent away): its volunteers are closed and its files removed. */
  #leave(root: Root, reason: string, code = CLOSE_ROOT_LEFT): void {
    if (this.#root !== root) return
    this.#root = undefined
    root.tunnel.closeAll(code, code === CLOSE_ROOT_LEFT ? 'the root left: waiting for the next run' : reason)
    if (root.socket.readyState === WebSocket.OPEN) refuse(root.socket, reason, code)
    // Its `Link` lets go; a socket that does not finish the closing handshake is cut after a grace.
    root.channel.close()
    this.#removeLater(root)
    this.#event({ type: 'left', address: root.address, reason })
  }

  #removeLater(root: Root): void {
    // The directory may still be in the making: remove it once its writing has settled.
    const removal = (async () => {
      await root.written?.catch(() => undefined)
      if (root.dir !== undefined) await rm(root.dir, { recursive: true, force: true })
    })()
    this.#removals.add(removal)
    void removal.finally(() => this.#removals.delete(removal))
  }
}

function describeClose(code: number, reason: Buffer): string {
  const text = reason.toString('utf8')
  if (code === CLOSE_CUT) return 'the connection was cut'
  return text === '' ? `closed (${code})` : `${text} (${code})`
}
