// The nested-frames attack on `/volunteer` (issue 12), shared by the tests that make it against `pando` and
// against a `pando-server`, with or without real tabs alongside.
import { once } from 'node:events'
import { WebSocket } from 'ws'
import { serverUrl, type PrintedServer } from '../../harness/pando-process.ts'

/** The largest frame `/volunteer` takes (16 MiB), all of it nesting: `[[[…]]]`. */
export const NESTED_FRAME = '['.repeat(8 * 1024 * 1024) + ']'.repeat(8 * 1024 * 1024)

/**
 * Opens a socket on `/volunteer` of `server`, says hello if asked, sends `frame`, and resolves with how the
 * socket was closed.
 */
export async function sendVolunteerFrame(
  server: PrintedServer,
  hello: boolean,
  frame: string,
): Promise<{ code: number; reason: string; error?: string }> {
  const socket = new WebSocket(serverUrl(server, '/volunteer', 'ws'))
  // A socket error is part of the answer (as `error`): how a close without a close frame came about.
  let error: string | undefined
  socket.on('error', (cause) => (error ??= cause.message))
  const closed = once(socket, 'close').then(([code, reason]) => ({
    code: code as number,
    reason: String(reason),
    ...(error === undefined ? {} : { error }),
  }))
  await once(socket, 'open')
  if (hello) socket.send(JSON.stringify({ type: 'hello', protocolVersion: 1, deviceName: 'deep' }))
  socket.send(frame)
  return closed
}
