import { once } from 'node:events'
import { ROOT_LINK_VERSION, type RootToServer, type RunFile, type ServerToRoot } from '@pando/protocol'
import { expect } from 'vitest'
import { WebSocket } from 'ws'

/** A WebSocket client that records every message (as JSON) and how it closed. */
export class RecordingClient<T = unknown> {
  readonly socket: WebSocket
  readonly received: T[] = []
  readonly closed: Promise<{ code: number; reason: string }>

  constructor(url: string) {
    this.socket = new WebSocket(url)
    // Writing a frame the server refused may end in a reset: what counts is the close frame it sent.
    this.socket.on('error', () => undefined)
    this.socket.on('message', (data) => this.received.push(JSON.parse(String(data)) as T))
    this.closed = once(this.socket, 'close').then(([code, reason]) => ({
      code: code as number,
      reason: String(reason),
    }))
  }

  async open(): Promise<this> {
    if (this.socket.readyState !== WebSocket.OPEN) await once(this.socket, 'open')
    return this
  }

  send(message: unknown): void {
    this.socket.send(JSON.stringify(message))
  }

  /** The first message of `type` received, waiting up to 5 s for it. */
  async next(type: string): Promise<T> {
    const find = (): T | undefined => this.received.find((m) => (m as { type: string }).type === type)
    await expect.poll(find, { timeout: 5_000 }).toBeDefined()
    return find() as T
  }
}

/**
 * A root that connected to the `/root` endpoint at `url`, said hello with `secret` and handed over `files`:
 * once it is `ready`.
 */
export async function registerRoot(
  url: string,
  secret: string,
  files: readonly RunFile[],
): Promise<RecordingClient<ServerToRoot>> {
  const root = await new RecordingClient<ServerToRoot>(url).open()
  root.send({ type: 'hello', version: ROOT_LINK_VERSION, secret } satisfies RootToServer)
  await root.next('welcome')
  root.send({ type: 'run-files', files } satisfies RootToServer)
  await root.next('ready')
  return root
}
