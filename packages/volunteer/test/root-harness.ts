import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import { createServer, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { parseVolunteerMessage, toWire, type Outcome, type RootToVolunteer } from '@pando/protocol'
import { WebSocketServer, type WebSocket } from 'ws'

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.map': 'application/json',
}

type Message = Record<string, unknown> & { type: string }

/** The root's side of one volunteer connection, as a test drives it. */
export class VolunteerSocket {
  readonly socket: WebSocket
  readonly messages: Message[] = []
  readonly #waiters = new Set<() => void>()

  constructor(socket: WebSocket) {
    this.socket = socket
    socket.on('message', (data) => {
      const message = parseVolunteerMessage(String(data))
      // As a root does, it answers the page's heartbeats with its own (the page gives up a silent root).
      if (message.type === 'heartbeat' && message.sentAt !== undefined) {
        this.send({ type: 'heartbeat', sentAt: Date.now(), echo: message.sentAt, heldMs: 0 })
      }
      this.messages.push(message as Message)
      for (const wake of this.#waiters) wake()
    })
  }

  send(message: RootToVolunteer): void {
    this.socket.send(JSON.stringify(toWire(message)))
  }

  /** Resolves once `test` holds of the messages received so far. */
  async until<T>(test: (messages: Message[]) => T | undefined, timeoutMs = 5_000): Promise<T> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const value = test(this.messages)
        if (value === undefined) return false
        this.#waiters.delete(wake)
        clearTimeout(timer)
        resolve(value)
        return true
      }
      const wake = (): void => void check()
      const timer = setTimeout(() => {
        this.#waiters.delete(wake)
        reject(new Error(`timed out; messages so far: ${JSON.stringify(this.messages).slice(0, 500)}`))
      }, timeoutMs)
      this.#waiters.add(wake)
      check()
    })
  }

  /** All outcomes received so far once they cover `ids`, by id. */
  async outcomes(ids: readonly number[], timeoutMs?: number): Promise<Map<number, Outcome>> {
    return this.until((messages) => {
      const byId = new Map<number, Outcome>()
      for (const message of messages) {
        if (message.type !== 'outcomes') continue
        for (const outcome of message.outcomes as Outcome[]) byId.set(outcome.id, outcome)
      }
      return ids.every((id) => byId.has(id)) ? byId : undefined
    }, timeoutMs)
  }
}

/**
 * A stand-in for the root: serves static directories over HTTP and accepts volunteers on `/volunteer`.
 * Each connection is handed to the test that waits for the device name it says hello with.
 */
export class RootHarness {
  readonly #server: Server
  readonly #wss: WebSocketServer
  readonly #connections: { socket: VolunteerSocket; claimed: boolean }[] = []
  readonly #waiters = new Set<() => void>()

  private constructor(mounts: Record<string, string>) {
    this.#server = createServer((request, response) => {
      void serveStatic(mounts, request.url ?? '/', response)
    })
    this.#wss = new WebSocketServer({ server: this.#server, path: '/volunteer' })
    this.#wss.on('connection', (ws) => {
      const socket = new VolunteerSocket(ws)
      this.#connections.push({ socket, claimed: false })
      ws.on('message', () => {
        for (const wake of this.#waiters) wake()
      })
    })
  }

  /** Starts on a free port; `mounts` maps URL prefixes (`/`, `/bundles/`) to directories. */
  static async start(mounts: Record<string, string>): Promise<RootHarness> {
    const harness = new RootHarness(mounts)
    await new Promise<void>((resolve) => harness.#server.listen(0, '127.0.0.1', resolve))
    return harness
  }

  get origin(): string {
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`
  }

  /** The next unclaimed connection whose `hello` carries this device name. */
  async connection(deviceName: string, timeoutMs = 5_000): Promise<VolunteerSocket> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        const found = this.#connections.find(
          (entry) =>
            !entry.claimed &&
            entry.socket.messages[0]?.type === 'hello' &&
            entry.socket.messages[0].deviceName === deviceName,
        )
        if (found === undefined) return
        found.claimed = true
        this.#waiters.delete(check)
        clearTimeout(timer)
        resolve(found.socket)
      }
      const timer = setTimeout(() => {
        this.#waiters.delete(check)
        reject(new Error(`no volunteer named ${deviceName} said hello`))
      }, timeoutMs)
      this.#waiters.add(check)
      check()
    })
  }

  async close(): Promise<void> {
    for (const client of this.#wss.clients) client.terminate()
    await new Promise<void>((resolve) => this.#wss.close(() => resolve()))
    this.#server.closeAllConnections()
    await new Promise<void>((resolve) => this.#server.close(() => resolve()))
  }
}

/** Serves the file `url` names from `mounts` (URL prefix → directory), or a 404. */
export async function serveStatic(
  mounts: Record<string, string>,
  url: string,
  response: ServerResponse,
): Promise<void> {
  const pathname = decodeURIComponent(new URL(url, 'http://x').pathname)
  const prefix = Object.keys(mounts)
    .filter((mount) => pathname.startsWith(mount))
    .sort((a, b) => b.length - a.length)[0]
  if (prefix !== undefined) {
    const dir = mounts[prefix] as string
    const file = path.join(dir, pathname.slice(prefix.length) || 'index.html')
    const info = file.startsWith(dir) ? await stat(file).catch(() => undefined) : undefined
    if (info?.isFile() === true) {
      response.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' })
      createReadStream(file).pipe(response)
      return
    }
  }
  response.writeHead(404).end('not found')
}
