import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import {
  CLOSE_CUT,
  CLOSE_GRACE_MS,
  CLOSE_NORMAL,
  CLOSE_PROTOCOL_ERROR,
  DeliveredChannel,
  Link,
  MAX_ROOT_LINK_MESSAGE_BYTES,
  ROOT_LINK_VERSION,
  parseServerToRoot,
  ProtocolError,
  rootLinkTimeoutMs,
  silentLinkReason,
  type MonitorMessage,
  type RelayToJoiner,
  type RootLinkJoinSignal,
  type RootToServer,
  type RunFile,
  type ServerToRoot,
} from '@pando/protocol'
import { filterSignal, processClock, withToken, type AddressRange } from '@pando/server'
import { WebSocket, type RawData } from 'ws'
import { RemoteServerError } from './errors.ts'
import type { VolunteerSocket } from './volunteer-socket.ts'
import { loopbackLookup } from './loopback-lookup.ts'
import { CONNECT_TIMEOUT_MS, REGISTER_TIMEOUT_MS } from './constants.ts'

/** Where a remote `pando-server` is (the CLI reads it from `--host`). */
export interface ServerAddress {
  /** `HOST:PORT`, for messages. */
  readonly display: string
  /** The page's URL, `http://HOST:PORT/` (https with `--host https://…`). */
  readonly pageUrl: string
  /** The root link's URL, `ws://HOST:PORT/root` (wss with `--host https://…` or `wss://…`). */
  readonly rootUrl: string
}

export interface RemoteServerOptions {
  readonly address: ServerAddress
  /** The server's secret: sent in the link's first message, never anywhere else. */
  readonly secret: string
  /** The run's files: the bundled module and `config.json`. */
  readonly files: readonly RunFile[]
  /** Each volunteer of the WebSocket transport, tunnelled through the server. */
  readonly onVolunteer: (socket: VolunteerSocket) => void
  /** Each joiner's signal, for the root's tree node. */
  readonly onJoinSignal: (message: RootLinkJoinSignal) => void
  /**
   * The link was lost after registration, for `reason` (maybe the server's words): the run cannot go on.
   * Called once, not after `close()`.
   */
  readonly onLost: (reason: string) => void
  /** ICE candidates outside this range are dropped both ways, as the in-process relay does. @default 'any' */
  readonly iceAddresses?: AddressRange
}

/** A remote `pando-server` as the root uses it: what `runNetworked` needs of its in-process server. */
export interface RemoteServer {
  /** URLs volunteers can open: the one `--host` gave first, then the others the server knows. */
  readonly urls: readonly string[]
  readonly dashboardUrls: readonly string[]
  /** Sends the run's status to the server's dashboards. */
  broadcastStatus(message: MonitorMessage): void
  /** Passes the tree's answer to a join attempt. */
  sendToJoiner(origin: string, message: RelayToJoiner): void
  /** Ends the registration: the server closes the tunnelled volunteers and removes the files. Idempotent. */
  close(): Promise<void>
}

/**
 * Registers this process as the root of a remote `pando-server` (`--host`): connects to its `/root`, gives
 * the secret in the first message, uploads the run's files, then relays join signals, tunnelled volunteers
 * and statuses for the whole run.
 * @throws {RemoteServerError} when the server cannot be reached (`unreachable`), or refuses this root (a
 * wrong secret, another root registered, another version…: `refused`)
 */
export async function connectRemoteServer(options: RemoteServerOptions): Promise<RemoteServer> {
  const link = new RootLink(options)
  const welcome = await link.registered
  const { address } = options
  const others = (urls: readonly string[]): string[] =>
    urls.filter((url) => !/^https?:\/\/(localhost|127\.[\d.]+|\[::1\])[:/]/.test(url))
  const page = withToken(address.pageUrl, welcome.token)
  const dashboard = withToken(`${address.pageUrl}monitor/`, welcome.token)
  return {
    urls: unique([page, ...others(welcome.urls)]),
    dashboardUrls:
      welcome.dashboardUrls.length === 0 ? [] : unique([dashboard, ...others(welcome.dashboardUrls)]),
    broadcastStatus: (status) => link.send({ type: 'status', status }),
    sendToJoiner: (origin, message) => {
      if (message.type === 'answer') {
        const signal = filterSignal(message.signal, options.iceAddresses ?? 'any')
        if (signal === undefined) return
        link.send({ type: 'to-joiner', origin, message: { type: 'answer', signal } })
      } else {
        link.send({ type: 'to-joiner', origin, message })
      }
    },
    close: () => link.close(),
  }
}

function unique(urls: readonly string[]): string[] {
  return [...new Set(urls)]
}

type Welcome = Extract<ServerToRoot, { type: 'welcome' }>

/** A volunteer's WebSocket on the server, as the root's volunteer session sees it. */
class TunnelledSocket implements VolunteerSocket {
  readonly #messageListeners: ((text: string | undefined) => void)[] = []
  readonly #closeListeners: ((reason: string) => void)[] = []
  readonly #send: (message: RootToServer) => void
  readonly #connection: number
  #state: 'open' | 'closing' | 'closed' = 'open'

  constructor(connection: number, send: (message: RootToServer) => void) {
    this.#connection = connection
    this.#send = send
  }

  send(text: string): void {
    if (this.#state === 'open')
      this.#send({ type: 'volunteer-send', connection: this.#connection, data: text })
  }

  close(code: number, reason: string): void {
    if (this.#state !== 'open') return
    this.#state = 'closing'
    this.#send({ type: 'volunteer-close', connection: this.#connection, code, reason })
  }

  onMessage(listener: (text: string | undefined) => void): void {
    this.#messageListeners.push(listener)
  }

  onClose(listener: (reason: string) => void): void {
    this.#closeListeners.push(listener)
  }

  /** A frame came from the volunteer. */
  received(text: string): void {
    if (this.#state === 'closed') return
    for (const listener of this.#messageListeners) listener(text)
  }

  /** Its socket closed on the server, or the link went. */
  closed(reason: string): void {
    if (this.#state === 'closed') return
    this.#state = 'closed'
    for (const listener of this.#closeListeners) listener(reason)
  }
}

/** The root's end of the root link, from connection to close. */
class RootLink {
  readonly registered: Promise<Welcome>
  readonly #options: RemoteServerOptions
  readonly #socket: WebSocket
  readonly #volunteers = new Map<number, TunnelledSocket>()
  #phase: 'connecting' | 'hello' | 'files' | 'ready' | 'closing' | 'closed' = 'connecting'
  #resolve: (welcome: Welcome) => void = () => undefined
  #reject: (error: Error) => void = () => undefined
  #welcome: Welcome | undefined
  #refusal: string | undefined
  /**
   * The link as the protocol's `Link` watches it, from the welcome on (as the server does its end): a
   * heartbeat each way every `heartbeatMs`, a server silent for `rootLinkTimeoutMs` given up.
   */
  #channel: DeliveredChannel<RootToServer> | undefined
  #registerTimer: ReturnType<typeof setTimeout> | undefined

  constructor(options: RemoteServerOptions) {
    this.#options = options
    this.registered = new Promise<Welcome>((resolve, reject) => {
      this.#resolve = resolve
      this.#reject = reject
    })
    this.#socket = new WebSocket(options.address.rootUrl, {
      maxPayload: MAX_ROOT_LINK_MESSAGE_BYTES,
      handshakeTimeout: CONNECT_TIMEOUT_MS,
      lookup: loopbackLookup,
    })
    this.#socket.on('open', () => this.#opened())
    this.#socket.on('error', (error) => this.#failed(error))
    this.#socket.on('message', (data: RawData, isBinary: boolean) => this.#received(data, isBinary))
    this.#socket.on('close', (code: number, reason: Buffer) => this.#closed(code, reason.toString('utf8')))
  }

  /** Sends a message once registered; dropped otherwise (the run is ending). */
  send(message: RootToServer): void {
    if (this.#phase === 'ready' && this.#socket.readyState === WebSocket.OPEN) {
      this.#socket.send(JSON.stringify(message))
    }
  }

  async close(): Promise<void> {
    if (this.#phase === 'closed') return
    this.#phase = 'closing'
    this.#channel?.ended()
    if (this.#socket.readyState === WebSocket.CLOSED) return
    const closed = new Promise<void>((resolve) => this.#socket.once('close', () => resolve()))
    this.#socket.close(CLOSE_NORMAL, 'the run is over')
    const timer = setTimeout(() => this.#socket.terminate(), CLOSE_GRACE_MS)
    await closed
    clearTimeout(timer)
  }

  get #where(): string {
    return `pando-server at ${this.#options.address.display}`
  }

  #opened(): void {
    this.#phase = 'hello'
    this.#registerTimer = setTimeout(
      () => this.#abort(`${this.#where} did not answer within ${REGISTER_TIMEOUT_MS / 1000} s`),
      REGISTER_TIMEOUT_MS,
    )
    this.#socket.send(
      JSON.stringify({
        type: 'hello',
        version: ROOT_LINK_VERSION,
        secret: this.#options.secret,
      } satisfies RootToServer),
    )
  }

  #failed(error: Error): void {
    if (this.#phase !== 'connecting') return
    this.#reject(new RemoteServerError('unreachable', this.#where, error.message))
  }

  /** A protocol violation, or no answer: the link ends; before registration, as a refusal. */
  #abort(reason: string): void {
    this.#refusal ??= reason
    // The close frame's reason is short and ASCII (it has 123 bytes at most); the message keeps the rest.
    this.#socket.close(CLOSE_PROTOCOL_ERROR, 'protocol error')
    setTimeout(() => this.#socket.terminate(), CLOSE_GRACE_MS).unref()
  }

  #received(data: RawData, isBinary: boolean): void {
    if (this.#phase === 'closing' || this.#phase === 'closed') return
    let message: ServerToRoot
    try {
      if (isBinary) throw new ProtocolError('binary messages are not part of the protocol')
      message = parseServerToRoot(String(data))
    } catch (error) {
      this.#abort(`${this.#where} broke the protocol: ${(error as Error).message}`)
      return
    }
    this.#channel?.deliver(message)
    if (message.type === 'heartbeat') return
    if (message.type === 'error') {
      this.#refusal ??= message.reason
      return
    }
    if (this.#phase === 'ready') this.#route(message)
    else this.#register(message)
  }

  #register(message: ServerToRoot): void {
    if (this.#phase === 'hello' && message.type === 'welcome') {
      this.#welcome = message
      this.#phase = 'files'
      this.#watch(message.heartbeatMs)
      this.#socket.send(
        JSON.stringify({ type: 'run-files', files: this.#options.files } satisfies RootToServer),
      )
    } else if (this.#phase === 'files' && message.type === 'ready' && this.#welcome !== undefined) {
      this.#phase = 'ready'
      clearTimeout(this.#registerTimer)
      this.#resolve(this.#welcome)
    } else {
      this.#abort(`${this.#where} broke the protocol: ${message.type} during registration`)
    }
  }

  #route(message: ServerToRoot): void {
    switch (message.type) {
      case 'join-signal': {
        const signal = filterSignal(message.signal, this.#options.iceAddresses ?? 'any')
        if (signal !== undefined) this.#options.onJoinSignal({ ...message, signal })
        return
      }
      case 'volunteer-open': {
        if (this.#volunteers.has(message.connection)) {
          return this.#abort(
            `${this.#where} broke the protocol: volunteer ${message.connection} opened twice`,
          )
        }
        const socket = new TunnelledSocket(message.connection, (m) => this.send(m))
        this.#volunteers.set(message.connection, socket)
        return this.#options.onVolunteer(socket)
      }
      case 'volunteer-message':
        return this.#volunteers.get(message.connection)?.received(message.data)
      case 'volunteer-close':
        this.#volunteers.get(message.connection)?.closed('disconnected')
        this.#volunteers.delete(message.connection)
        return
      case 'heartbeat':
        return // heard by the link's `Link` (see #received)
      case 'welcome':
      case 'ready':
      case 'error':
        return this.#abort(`${this.#where} broke the protocol: ${message.type} after registration`)
    }
  }

  /**
   * Watches the link with the protocol's `Link`, as the server watches its end: a heartbeat every
   * `heartbeatMs` (the server's), and a server silent for `rootLinkTimeoutMs` of it given up (the socket
   * cut: a silent server would not answer a close), the run then stopped with why.
   */
  #watch(heartbeatMs: number): void {
    const socket = this.#socket
    const timeoutMs = rootLinkTimeoutMs(heartbeatMs)
    const channel = new DeliveredChannel<RootToServer>({
      send: (message) => {
        if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message))
      },
      close: () => socket.terminate(),
    })
    this.#channel = channel
    new Link(channel, processClock, timeoutMs, {
      message: () => undefined,
      closed: () => undefined,
      silent: () => (this.#refusal ??= silentLinkReason(timeoutMs)),
    })
  }

  #closed(code: number, reason: string): void {
    const phase = this.#phase
    this.#phase = 'closed'
    this.#channel?.ended()
    clearTimeout(this.#registerTimer)
    const volunteerReason = phase === 'closing' ? 'the run is over' : 'the link to pando-server was lost'
    for (const socket of this.#volunteers.values()) socket.closed(volunteerReason)
    this.#volunteers.clear()
    // Maybe the server's words: whoever prints them makes them safe for where they go.
    const why =
      this.#refusal ??
      (reason !== '' ? reason : code === CLOSE_CUT ? 'the connection was cut' : `code ${code}`)
    if (phase === 'connecting') {
      this.#reject(new RemoteServerError('unreachable', this.#where, why))
    } else if (phase === 'hello' || phase === 'files') {
      this.#reject(new RemoteServerError('refused', this.#where, why))
    } else if (phase === 'ready') {
      this.#options.onLost(why)
    }
  }
}

/** The files of a run's directory (the bundle, `config.json`…), to upload to the server. */
export async function readRunFiles(dir: string): Promise<RunFile[]> {
  const entries = await readdir(dir, { withFileTypes: true })
  return Promise.all(
    entries
      .filter((entry) => entry.isFile())
      .map(async (entry) => ({
        name: entry.name,
        content: await readFile(path.join(dir, entry.name), 'utf8'),
      })),
  )
}
