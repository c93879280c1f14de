import type { WebSocket, WebSocketServer } from 'ws'

/** What a ping carries: when it was sent, by this process's monotonic clock (a peer echoes it in its pong). */
const pingStamp = (): string => performance.now().toFixed(3)

/**
 * The round trip, in ms, that a pong's payload tells: it echoes a ping of {@link startHeartbeat}, stamped
 * with when it was sent. `undefined` for any other payload (a pong the peer sent unasked, say).
 */
export function pongRoundTrip(payload: Buffer, now = performance.now()): number | undefined {
  const text = payload.toString('latin1')
  if (!/^\d{1,15}\.\d{3}$/.test(text)) return undefined
  const roundTrip = now - Number(text)
  return roundTrip >= 0 ? roundTrip : undefined
}

/**
 * Pings every client of `wss` as it connects and then each `intervalMs`, each ping stamped with its time
 * (see {@link pongRoundTrip}); one that has left `missesAllowed` pings of the interval in a row unanswered
 * is terminated (its 'close' event then fires as for any other departure). Returns a function that stops it.
 */
export function startHeartbeat(wss: WebSocketServer, intervalMs: number, missesAllowed = 1): () => void {
  const missed = new WeakMap<WebSocket, number>()
  wss.on('connection', (socket) => {
    missed.set(socket, 0)
    socket.on('pong', () => missed.set(socket, 0))
    // A first ping at once, so that the round trip is known from the start (it counts no miss).
    socket.ping(pingStamp())
  })
  const timer = setInterval(() => {
    for (const socket of wss.clients) {
      const count = missed.get(socket) ?? 0
      if (count >= missesAllowed) {
        socket.terminate()
        continue
      }
      missed.set(socket, count + 1)
      socket.ping(pingStamp())
    }
  }, intervalMs)
  timer.unref()
  return () => clearInterval(timer)
}
