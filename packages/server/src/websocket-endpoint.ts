import {
  CLOSE_BAD_FRAME,
  CLOSE_INVALID_PAYLOAD,
  CLOSE_MESSAGE_TOO_BIG,
  fitCloseReason,
} from '@pando/protocol'
import { WebSocket, WebSocketServer } from 'ws'
import { CLOSE_GRACE_MS } from './constants.ts'

/**
 * Closes `socket` with `code` and `reason` (cut to fit a close frame), so its peer learns why; first sends it
 * `notice` as JSON, if given and the socket is still open: the endpoint's own message saying why (a
 * volunteer's or a root's `{type: 'error', reason}`, a joiner's `{type: 'rejected', reason}`), which is
 * never cut.
 */
export function closeWithReason(socket: WebSocket, code: number, reason: string, notice?: object): void {
  if (notice !== undefined && socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(notice))
  socket.close(code, fitCloseReason(reason))
}

/** The reason for a close ws decides by itself, on a frame it cannot take; `undefined` for any other code. */
function frameErrorReason(code: number, maxPayload: number): string | undefined {
  switch (code) {
    case CLOSE_MESSAGE_TOO_BIG:
      return `message too large: the limit is ${maxPayload} bytes`
    case CLOSE_INVALID_PAYLOAD:
      return 'invalid frame: text that is not UTF-8'
    case CLOSE_BAD_FRAME:
      return 'invalid frame: not WebSocket framing'
    default:
      return undefined
  }
}

/**
 * The WebSocket server of one endpoint, without a server of its own (the HTTP server hands it its upgrades),
 * taking messages of up to `maxPayload` bytes.
 *
 * A frame ws cannot take (over `maxPayload`, text that is not UTF-8, broken framing) makes ws close the
 * socket by itself, with the matching code (1009, 1007, 1002) but no reason, then emit 'error'. The sockets
 * of this server add the reason, so the peer learns why; and the 'error' is not met with `terminate()`,
 * which could cut the close frame off before it is sent: the peer gets {@link CLOSE_GRACE_MS} to finish
 * the closing handshake, then is cut.
 */
export function createEndpoint(maxPayload: number): WebSocketServer {
  class EndpointSocket extends WebSocket {
    override close(code?: number, data?: string | Buffer): void {
      super.close(code, data ?? (code === undefined ? undefined : frameErrorReason(code, maxPayload)))
    }
  }
  const wss = new WebSocketServer({ noServer: true, maxPayload, WebSocket: EndpointSocket })
  wss.on('connection', (socket: WebSocket) => {
    socket.on('error', () => setTimeout(() => socket.terminate(), CLOSE_GRACE_MS).unref())
  })
  return wss
}
