import type { MonitorMessage } from '@pando/protocol'
import { WebSocket, WebSocketServer } from 'ws'
import { MAX_VIEWER_BACKLOG_BYTES, MAX_VIEWER_PAYLOAD_BYTES } from './constants.ts'
import { startHeartbeat } from './heartbeat.ts'

/** WebSocket close code for a viewer that sent something: the feed is one-way. */
export const VIEWER_SENT_DATA_CODE = 1008

/** The dashboards' feed: every viewer gets each status, and the last one when it connects. */
export interface MonitorFeed {
  /** The WebSocket server; the HTTP server hands it the upgrades of the feed's path. */
  readonly wss: WebSocketServer
  /** Sends `message` to every viewer, and keeps it for those that connect later. */
  broadcast(message: MonitorMessage): void
  /** How many viewers are connected. */
  viewerCount(): number
  /** Closes every viewer (1001) and stops the heartbeat. */
  close(): void
}

/** Creates the feed; a viewer that misses a ping (see `startHeartbeat`) is dropped. */
export function createMonitorFeed(heartbeatMs: number): MonitorFeed {
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_VIEWER_PAYLOAD_BYTES })
  const stopHeartbeat = startHeartbeat(wss, heartbeatMs)
  let last: string | undefined

  wss.on('connection', (socket) => {
    // A frame larger than maxPayload makes ws close the socket itself (1009) and emit 'error'.
    socket.on('error', () => socket.terminate())
    socket.on('message', () => socket.close(VIEWER_SENT_DATA_CODE, 'the monitor feed is read-only'))
    if (last !== undefined) socket.send(last)
  })

  return {
    wss,
    broadcast(message) {
      last = JSON.stringify(message)
      for (const socket of wss.clients) {
        if (socket.readyState === WebSocket.OPEN && socket.bufferedAmount <= MAX_VIEWER_BACKLOG_BYTES) {
          socket.send(last)
        }
      }
    },
    viewerCount: () => wss.clients.size,
    close() {
      stopHeartbeat()
      for (const socket of wss.clients) socket.close(1001, 'pando is shutting down')
      wss.close()
    },
  }
}
