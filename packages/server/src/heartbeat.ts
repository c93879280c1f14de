import type { WebSocket, WebSocketServer } from 'ws'

/**
 * Pings every client of `wss` each `intervalMs`; one that has left `missesAllowed` pings in a row
 * unanswered is terminated (its 'close' event then fires as for any other departure). Returns a function
 * that stops it.
 */
export function startHeartbeat(wss: WebSocketServer, intervalMs: number, missesAllowed = 1): () => void {
  const missed = new WeakMap<WebSocket, number>()
  wss.on('connection', (socket) => {
    missed.set(socket, 0)
    socket.on('pong', () => missed.set(socket, 0))
  })
  const timer = setInterval(() => {
    for (const socket of wss.clients) {
      const count = missed.get(socket) ?? 0
      if (count >= missesAllowed) {
        socket.terminate()
        continue
      }
      missed.set(socket, count + 1)
      socket.ping()
    }
  }, intervalMs)
  timer.unref()
  return () => clearInterval(timer)
}
