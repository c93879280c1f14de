import type { IncomingMessage } from 'node:http'
import type { Socket } from 'node:net'
import type { WebSocket, WebSocketServer } from 'ws'
import { LoopStall } from './loop-stall.ts'
import { CLIENT_CONTROL_FRAME_OVERHEAD, MAX_OUTSTANDING_PINGS } from './constants.ts'

/** What a ping carries: when it was sent, by this process's monotonic clock (a peer echoes it in its pong). */
const pingStamp = (): string => performance.now().toFixed(3)

/**
 * Pings every client of `wss` as it connects and then each `intervalMs`, each ping stamped with its time
 * (`performance.now()` when it was sent, as `1234.567`: a pong that echoes it tells the round trip); one that has left a ping of the interval unanswered is terminated (its 'close' event then fires as for any other departure). Only a pong that echoes a ping
 * still unanswered counts: unsolicited pongs (which RFC 6455 allows, and a client can send at will) keep
 * nobody alive; neither do whole messages (a page's own heartbeats are not pongs). Only the bytes of a
 * message still coming in, with none completed since the last tick, do: the pong waits behind them. When the heartbeat's own tick comes late (this process stalled), no client is charged a
 * miss for that interval: each gets a fresh one. Returns a function that stops it.
 */
export function startHeartbeat(wss: WebSocketServer, intervalMs: number): () => void {
  const missed = new WeakMap<WebSocket, number>()
  const outstanding = new WeakMap<WebSocket, string[]>()
  const uploads = new WeakMap<WebSocket, Upload>()
  const ping = (socket: WebSocket): void => {
    const stamp = pingStamp()
    const stamps = outstanding.get(socket) ?? []
    stamps.push(stamp)
    if (stamps.length > MAX_OUTSTANDING_PINGS) stamps.shift()
    outstanding.set(socket, stamps)
    socket.ping(stamp)
  }
  wss.on('connection', (socket, request: IncomingMessage | undefined) => {
    missed.set(socket, 0)
    const upload = request === undefined ? undefined : new Upload(request.socket)
    if (upload !== undefined) uploads.set(socket, upload)
    socket.on('ping', (payload: Buffer) => upload?.control(payload))
    socket.on('message', () => upload?.message())
    socket.on('pong', (payload: Buffer) => {
      upload?.control(payload)
      const stamps = outstanding.get(socket)
      if (stamps?.includes(payload.toString('latin1')) !== true) return // unsolicited: not an answer
      outstanding.set(socket, [])
      missed.set(socket, 0)
    })
    // A first ping at once, so that the round trip is known from the start (it counts no miss).
    ping(socket)
  })
  const stall = new LoopStall(intervalMs)
  const timer = setInterval(() => {
    const stalled = stall.stalled()
    for (const socket of wss.clients) {
      const sending = uploads.get(socket)?.midMessage() === true
      const count = stalled || sending ? 0 : (missed.get(socket) ?? 0)
      if (count >= 1) {
        socket.terminate()
        continue
      }
      missed.set(socket, count + 1)
      ping(socket)
    }
  }, intervalMs)
  timer.unref()
  return () => clearInterval(timer)
}

/**
 * What a client sent over its connection, control frames (pings, pongs) and whole messages counted apart: a
 * client uploading a large message is alive though its pong waits behind the message (a 16 MiB result takes
 * seconds on a slow uplink), while unsolicited pongs, or messages that never wait for the pong, keep no one
 * alive.
 */
class Upload {
  readonly #connection: Socket
  #read: number
  #control = 0
  #controlAtTick = 0
  #messages = 0

  constructor(connection: Socket) {
    this.#connection = connection
    this.#read = connection.bytesRead
  }

  /** Counts a control frame the client sent. */
  control(payload: Buffer): void {
    this.#control += CLIENT_CONTROL_FRAME_OVERHEAD + payload.length
  }

  /** Counts a whole message the client sent. */
  message(): void {
    this.#messages++
  }

  /**
   * Whether, since the last call, the client sent the bytes of a message still coming in: data besides its
   * control frames, and no whole message.
   */
  midMessage(): boolean {
    const read = this.#connection.bytesRead
    const data = read - this.#read - (this.#control - this.#controlAtTick)
    const messages = this.#messages
    this.#read = read
    this.#controlAtTick = this.#control
    this.#messages = 0
    return data > 0 && messages === 0
  }
}
