import net from 'node:net'
import type { AddressInfo } from 'node:net'

export interface DelayProxy {
  /** The proxy's port on 127.0.0.1. */
  readonly port: number
  close(): Promise<void>
}

/**
 * A TCP proxy on loopback that holds every chunk `oneWayMs` before passing it on, both ways: a root that
 * seems `2 × oneWayMs` away from the tabs that load their page through it (HTTP and WebSockets alike; a
 * WebRTC path does not go through it). Chunks keep their order: equal delays fire in order.
 */
export async function startDelayProxy(targetPort: number, oneWayMs: number): Promise<DelayProxy> {
  const sockets = new Set<net.Socket>()
  const delayed = (from: net.Socket, to: net.Socket): void => {
    from.on('data', (chunk) => {
      setTimeout(() => {
        if (!to.destroyed) to.write(chunk)
      }, oneWayMs)
    })
    from.on('end', () => setTimeout(() => to.end(), oneWayMs))
    from.on('error', () => to.destroy())
    from.on('close', () => setTimeout(() => to.destroy(), oneWayMs))
  }
  const server = net.createServer((client) => {
    const upstream = net.connect(targetPort, '127.0.0.1')
    for (const socket of [client, upstream]) {
      sockets.add(socket)
      socket.on('close', () => sockets.delete(socket))
    }
    delayed(client, upstream)
    delayed(upstream, client)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    port: (server.address() as AddressInfo).port,
    close: async () => {
      for (const socket of sockets) socket.destroy()
      await new Promise((resolve) => server.close(resolve))
    },
  }
}
