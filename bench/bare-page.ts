import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { WebSocketServer } from 'ws'

/**
 * The least any volunteer page must do to join: after its load event, open a WebSocket to the server and
 * hear one message back. It records both times (`window.__bareJoin`, in the tab's clock).
 */
const BARE_PAGE = `<!doctype html>
<title>bare join</title>
<script>
  window.__bareJoin = { loadAt: null, messageAt: null }
  addEventListener('load', () => {
    window.__bareJoin.loadAt = performance.now()
    const socket = new WebSocket('ws://' + location.host + '/join')
    socket.onmessage = () => {
      window.__bareJoin.messageAt = performance.now()
      socket.close()
    }
  })
</script>`

export interface BarePageServer {
  readonly url: string
  close(): Promise<void>
}

/** Serves {@link BARE_PAGE} on loopback; its WebSocket endpoint answers each connection with one message. */
export async function startBarePageServer(): Promise<BarePageServer> {
  const server = http.createServer((_request, response) => {
    response.setHeader('Content-Type', 'text/html; charset=utf-8')
    response.end(BARE_PAGE)
  })
  const sockets = new WebSocketServer({ server })
  sockets.on('connection', (socket) => socket.send('welcome'))
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://localhost:${String(port)}/`,
    close: async () => {
      for (const client of sockets.clients) client.terminate()
      sockets.close()
      await new Promise((resolve) => server.close(resolve))
    },
  }
}
