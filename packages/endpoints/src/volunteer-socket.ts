import type { RawData, WebSocket } from 'ws'

/**
 * What a volunteer session needs of its connection: a `ws` WebSocket on the in-process server, or a
 * volunteer tunnelled over the root link of a remote `pando-server`.
 */
export interface VolunteerSocket {
  /** Sends a text frame; dropped once the socket is closing or closed. */
  send(text: string): void
  /** Closes the connection; `onClose` follows. `reason` fits in a close frame (123 bytes). */
  close(code: number, reason: string): void
  /** Each frame the volunteer sends: its text, or `undefined` for a binary frame (not in the protocol). */
  onMessage(listener: (text: string | undefined) => void): void
  /** Once, when the connection has closed or failed, with why. */
  onClose(listener: (reason: string) => void): void
}

function rawText(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8')
  return (Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data)).toString('utf8')
}

/** A `ws` WebSocket as a {@link VolunteerSocket}: 'close' reports "disconnected", 'error' its message. */
export function wsVolunteerSocket(socket: WebSocket): VolunteerSocket {
  const closeListeners: ((reason: string) => void)[] = []
  let closedWith: string | undefined
  const closed = (reason: string): void => {
    if (closedWith !== undefined) return
    closedWith = reason
    for (const listener of closeListeners) listener(reason)
  }
  socket.on('error', (error) => closed(error.message))
  socket.on('close', () => closed('disconnected'))
  return {
    send: (text) => {
      if (socket.readyState === socket.OPEN) socket.send(text)
    },
    close: (code, reason) => socket.close(code, reason),
    onMessage: (listener) => {
      socket.on('message', (data: RawData, isBinary: boolean) =>
        listener(isBinary ? undefined : rawText(data)),
      )
    },
    onClose: (listener) => {
      if (closedWith === undefined) closeListeners.push(listener)
      else listener(closedWith)
    },
  }
}
