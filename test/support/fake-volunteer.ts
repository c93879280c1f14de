import { once } from 'node:events'
import { parseRootMessage, toWire, type Outcome } from '@pando/protocol'
import { WebSocket } from 'ws'
import { serverUrl, type PrintedServer } from './pando-process.ts'

/** A message from the root to a volunteer, as a test reads it. */
export interface VolunteerReceived {
  readonly type: string
  readonly jobs?: { id: number; value: string }[]
  readonly reason?: string
}

/** How often a fake volunteer sends its heartbeat: well within the root's default (every 1 s of 2 s). */
const HEARTBEAT_EVERY_MS = 200

/** A volunteer played by the test over the real WebSocket protocol (`/volunteer`), without a browser. */
export class FakeVolunteer {
  readonly #heartbeat: boolean
  readonly socket: WebSocket
  readonly received: VolunteerReceived[] = []
  /** How its socket closed, once it has: the code and the reason. */
  readonly closing: Promise<{ readonly code: number; readonly reason: string }>

  /**
   * `autoPong: false`: its socket answers no ping (a lost network). `heartbeat: false`: it sends none of the
   * page's own heartbeats once joined (a frozen page, whose browser still answers pings).
   */
  constructor(server: PrintedServer, options: { autoPong?: boolean; heartbeat?: boolean } = {}) {
    this.socket = new WebSocket(serverUrl(server, '/volunteer', 'ws'), { autoPong: options.autoPong ?? true })
    this.#heartbeat = options.heartbeat ?? true
    this.closing = once(this.socket, 'close').then(([code, reason]) => ({
      code: code as number,
      reason: String(reason),
    }))
    // A socket the root cuts may fail before it closes; 'close' follows, which is what tests look at.
    this.socket.on('error', () => undefined)
    this.socket.on('message', (data) =>
      this.received.push(parseRootMessage(String(data)) as VolunteerReceived),
    )
  }

  /** Waits for the socket to open, then says hello, and sends heartbeats as a page does. */
  async join(protocolVersion = 1, deviceName = 'fake'): Promise<void> {
    await once(this.socket, 'open')
    this.socket.send(JSON.stringify({ type: 'hello', protocolVersion, deviceName }))
    if (!this.#heartbeat) return
    const timer = setInterval(() => {
      if (this.socket.readyState === WebSocket.OPEN) this.socket.send('{"type":"heartbeat"}')
    }, HEARTBEAT_EVERY_MS)
    this.socket.on('close', () => clearInterval(timer))
  }

  /** Sends outcomes, as a page does (in columns: `toWire`). */
  sendOutcomes(outcomes: readonly Outcome[]): void {
    this.socket.send(JSON.stringify(toWire({ type: 'outcomes', outcomes })))
  }

  /** Jobs received so far. */
  jobs(): { id: number; value: string }[] {
    return this.received.flatMap((message) => message.jobs ?? [])
  }

  jobsReceived(): number {
    return this.jobs().length
  }

  /** Resolves with the close code once the socket has closed. */
  async closed(): Promise<number> {
    return (await this.closing).code
  }
}
