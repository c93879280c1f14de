import { once } from 'node:events'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import express from 'express'
import { WebSocketServer, type WebSocket } from 'ws'
import { reachableUrls } from './addresses.ts'
import { DEFAULT_HEARTBEAT_MS, MAX_PAYLOAD_BYTES, RUN_PATH, VOLUNTEER_PATH } from './constants.ts'
import { startHeartbeat } from './heartbeat.ts'

export interface ServerOptions {
  /** TCP port; 0 picks a free one. @default 5000 */
  port?: number
  /** Interface to listen on. @default all interfaces */
  host?: string
  /** The built volunteer page, served at `/`. */
  volunteerDir: string
  /** The files of this run (the bundled module), served at `/run/`. */
  runDir: string
  /** WebSocket ping interval; a volunteer silent for one interval is dropped. @default 2_000 ms */
  heartbeatMs?: number
  /** Called for each volunteer WebSocket connection. The server owns its liveness, not its messages. */
  onVolunteer: (socket: WebSocket) => void
}

export interface PandoServer {
  readonly port: number
  /** URLs volunteers can open, localhost first. */
  readonly urls: readonly string[]
  readonly httpServer: http.Server
  /** Closes every connection and stops listening. Idempotent. */
  close(): Promise<void>
}

function createApp(options: ServerOptions): express.Express {
  const app = express()
  app.disable('x-powered-by')
  app.use(RUN_PATH, express.static(options.runDir, { etag: false, cacheControl: false }))
  app.use(express.static(options.volunteerDir))
  return app
}

/** Starts the HTTP server for the volunteer page and the volunteers' WebSocket endpoint. */
export async function createServer(options: ServerOptions): Promise<PandoServer> {
  const httpServer = http.createServer(createApp(options))
  const volunteers = new WebSocketServer({ noServer: true, maxPayload: MAX_PAYLOAD_BYTES })
  const stopHeartbeat = startHeartbeat(volunteers, options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS)
  volunteers.on('connection', (socket) => options.onVolunteer(socket))
  httpServer.on('upgrade', (request, socket, head) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname
    if (path !== VOLUNTEER_PATH) {
      socket.destroy()
      return
    }
    volunteers.handleUpgrade(request, socket, head, (ws) => volunteers.emit('connection', ws, request))
  })

  httpServer.listen(options.port ?? 5000, options.host)
  await Promise.race([
    once(httpServer, 'listening'),
    once(httpServer, 'error').then(([error]) => Promise.reject(error as Error)),
  ])
  const port = (httpServer.address() as AddressInfo).port

  let closing: Promise<void> | undefined
  const close = (): Promise<void> => {
    closing ??= new Promise<void>((resolve) => {
      stopHeartbeat()
      for (const socket of volunteers.clients) socket.close(1001, 'pando is shutting down')
      volunteers.close()
      httpServer.close(() => resolve())
      httpServer.closeAllConnections()
      // Sockets that do not finish their closing handshake promptly are cut.
      setTimeout(() => {
        for (const socket of volunteers.clients) socket.terminate()
      }, 500).unref()
    })
    return closing
  }
  return { port, urls: reachableUrls(port), httpServer, close }
}
