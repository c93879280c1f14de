// A Node root for the tree tests, built from the real parts: the server's signaling relay (JoinRelay), a
// root tree node over node-datachannel, and a root lender lending to the root's children (ChildLending, as
// tabs do) and to WebSocket volunteers (hello → welcome, then lendToRemote, as the CLI does). Pages and the
// run directory are served with node:http, since createServer is not wired for the tree yet.
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import {
  createTreeNode,
  createWebRtcConnector,
  type JoinSignalMessage,
  type PeerChannel,
  type TreeNode,
} from '@pando/overlay'
import {
  parseTreeWorkMessage,
  toWire,
  parseVolunteerMessage,
  type Job,
  type RootToVolunteer,
  type RunConfig,
} from '@pando/protocol'
import {
  ChildLending,
  createLender,
  lendToRemote,
  type Lender,
  type RemoteBorrower,
  type Settled,
} from '@pando/scheduler'
import pull from 'pull-stream'
import { WebSocketServer, type WebSocket } from 'ws'
import { nodeWrtc } from '@pando/endpoints'
import { JoinRelay } from '@pando/server'
import { createPushable, type Pushable } from '../src/pushable.ts'
import { serveStatic } from './root-harness.ts'

export interface TreeRootOptions {
  /** URL prefix → directory. */
  readonly mounts: Record<string, string>
  /** The run's config, as served at `/run/config.json` by the caller's mount. */
  readonly config: RunConfig
}

/** The root's side of one test run: its tree node, its lender, and the output it emitted so far. */
export class TreeRoot {
  readonly node: TreeNode
  readonly relay: JoinRelay
  /** Settled items in output order. */
  readonly output: Settled[] = []
  /** Whether `/join` upgrades are accepted; when not, the socket is destroyed (the join fails at once). */
  joinEnabled = true
  readonly #server: Server
  readonly #volunteers = new WebSocketServer({ noServer: true })
  readonly #lender: Lender
  readonly #input: Pushable<Job> = createPushable<Job>()
  readonly #children: ChildLending
  readonly #waiters = new Set<() => void>()
  #nextId = 0
  #volunteerCount = 0

  private constructor(options: TreeRootOptions) {
    const { config } = options
    this.node = createTreeNode(
      {
        id: 'root',
        root: true,
        degree: config.degree,
        bootstrapTimeoutMs: config.bootstrapTimeoutMs,
        heartbeatMs: config.heartbeatMs,
      },
      { connector: createWebRtcConnector({ wrtc: nodeWrtc, bindAddress: '127.0.0.1' }) },
    )
    this.relay = new JoinRelay({
      addresses: 'loopback',
      onJoinSignal: (message) => this.node.handleJoinSignal(message as JoinSignalMessage),
    })
    this.node.on('answer-signal', ({ origin, signal }) =>
      this.relay.sendToJoiner(origin, { type: 'answer', signal }),
    )
    this.node.on('join-rejected', ({ origin, reason }) =>
      this.relay.sendToJoiner(origin, { type: 'rejected', reason }),
    )

    this.#lender = createLender({ ordered: true, retries: 2 })
    this.#lender.sink(this.#input.source)
    pull(
      this.#lender.source,
      pull.drain((settled: Settled) => {
        this.output.push(settled)
        for (const wake of this.#waiters) wake()
      }),
    )
    this.#children = new ChildLending(this.#lender, config.batchSize)
    this.node.on('child', (child) => this.#children.add(child))
    this.node.on('child-report', (child) => this.#children.update(child))
    this.node.on('child-left', (child) => this.#children.remove(child.channel))
    this.node.on('message', (channel, raw) => this.#fromChild(channel, raw))

    this.#volunteers.on('connection', (socket) => this.#serveVolunteer(socket, config))
    this.#server = createServer((request, response) => {
      void serveStatic(options.mounts, request.url ?? '/', response)
    })
    this.#server.on('upgrade', (request, socket, head) => {
      const { pathname } = new URL(request.url ?? '/', 'http://root')
      const wss =
        pathname === '/join' && this.joinEnabled
          ? this.relay.wss
          : pathname === '/volunteer'
            ? this.#volunteers
            : undefined
      if (wss === undefined) socket.destroy()
      else wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request))
    })
  }

  static async start(options: TreeRootOptions): Promise<TreeRoot> {
    const root = new TreeRoot(options)
    await new Promise<void>((resolve) => root.#server.listen(0, '127.0.0.1', resolve))
    return root
  }

  get origin(): string {
    return `http://127.0.0.1:${String((this.#server.address() as AddressInfo).port)}`
  }

  /** Feeds items to the root's lender; returns their ids. */
  push(values: readonly string[]): number[] {
    return values.map((value) => {
      const id = this.#nextId++
      this.#input.push({ id, value })
      return id
    })
  }

  /** Resolves once the output holds `count` items in all. */
  async outputLength(count: number, timeoutMs = 20_000): Promise<Settled[]> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        if (this.output.length < count) return
        this.#waiters.delete(check)
        clearTimeout(timer)
        resolve(this.output.slice())
      }
      const timer = setTimeout(() => {
        this.#waiters.delete(check)
        reject(new Error(`${String(this.output.length)} of ${String(count)} items came out`))
      }, timeoutMs)
      this.#waiters.add(check)
      check()
    })
  }

  /** The lender's counters (ignored late outcomes, re-lent items…). */
  state(): ReturnType<Lender['state']> {
    return this.#lender.state()
  }

  async close(): Promise<void> {
    this.node.close()
    this.relay.close()
    for (const client of this.#volunteers.clients) client.terminate()
    this.#volunteers.close()
    this.#input.end()
    this.#server.closeAllConnections()
    await new Promise<void>((resolve) => this.#server.close(() => resolve()))
  }

  /** A WebSocket volunteer: welcomed on `hello`, then a borrower of the lender until it closes. */
  #serveVolunteer(socket: WebSocket, config: RunConfig): void {
    const volunteerId = `ws-${String(++this.#volunteerCount)}`
    const send = (message: RootToVolunteer): void => socket.send(JSON.stringify(toWire(message)))
    let borrower: RemoteBorrower | undefined
    socket.on('message', (data) => {
      let message: ReturnType<typeof parseVolunteerMessage>
      try {
        message = parseVolunteerMessage(String(data))
      } catch {
        socket.close(1008, 'protocol error')
        return
      }
      if (message.type === 'hello' && borrower === undefined) {
        send({
          type: 'welcome',
          volunteerId,
          config: { bundleUrl: config.bundleUrl, moduleName: config.moduleName },
        })
        const subStream = this.#lender.lendStream({ name: volunteerId })
        borrower = lendToRemote(subStream, (jobs) => send({ type: 'jobs', jobs }), {
          batchSize: config.batchSize,
        })
      } else if (message.type === 'outcomes') {
        borrower?.receive(message.outcomes)
      }
    })
    socket.on('close', () => borrower?.close())
  }

  #fromChild(channel: PeerChannel, raw: unknown): void {
    try {
      const message = parseTreeWorkMessage(raw)
      if (message?.type === 'outcomes') this.#children.receive(channel, message.outcomes)
      // A tab's browser mark goes unanswered here: this root judges no results.
      else if (message?.type !== 'status' && message?.type !== 'browser-mark')
        throw new Error('a child may only send outcomes, status and its browser mark')
    } catch {
      channel.close()
    }
  }
}
