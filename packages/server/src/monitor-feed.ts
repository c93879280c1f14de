import { CLOSE_GOING_AWAY, CLOSE_PROTOCOL_ERROR, type MonitorMessage } from '@pando/protocol'
import { WebSocket, type WebSocketServer } from 'ws'
import { MAX_VIEWER_BACKLOG_BYTES, MAX_VIEWER_PAYLOAD_BYTES } from './constants.ts'
import { startHeartbeat } from './heartbeat.ts'
import { closeWithReason, createEndpoint } from './websocket-endpoint.ts'

/** WebSocket close code for a viewer that sent something: the feed is one-way. */
export const VIEWER_SENT_DATA_CODE = CLOSE_PROTOCOL_ERROR

/**
 * The dashboards' feed: every viewer gets each status, and when it connects the status as it is then (or,
 * without a way to make one, the last one sent).
 */
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

/**
 * Creates the feed; a viewer that misses a ping (see `startHeartbeat`) is dropped, one that sends anything is
 * closed with the reason: 1008, or 1009 for a frame over {@link MAX_VIEWER_PAYLOAD_BYTES} (see
 * `createEndpoint`). `statusNow` makes the status a viewer gets when it connects: a dashboard opened just
 * after a volunteer joined counts it, rather than showing the last status of the interval before.
 */
export function createMonitorFeed(
  heartbeatMs: number,
  statusNow?: () => MonitorMessage | undefined,
): MonitorFeed {
  const wss = createEndpoint(MAX_VIEWER_PAYLOAD_BYTES)
  const stopHeartbeat = startHeartbeat(wss, heartbeatMs)
  let last: string | undefined

  wss.on('connection', (socket) => {
    socket.on('message', () =>
      closeWithReason(socket, VIEWER_SENT_DATA_CODE, 'the monitor feed is read-only'),
    )
    const now = statusNow?.()
    const first = now === undefined ? last : JSON.stringify(now)
    if (first !== undefined) socket.send(first)
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
      for (const socket of wss.clients) socket.close(CLOSE_GOING_AWAY, 'pando is shutting down')
      wss.close()
    },
  }
}
