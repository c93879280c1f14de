import os from 'node:os'

/**
 * The URLs at which a server listening on all interfaces can be reached: localhost first, then each
 * non-internal IPv4 address (what a phone on the same network would open).
 */
export function reachableUrls(port: number, path = '/'): string[] {
  const urls = [`http://localhost:${port}${path}`]
  for (const addresses of Object.values(os.networkInterfaces())) {
    for (const address of addresses ?? []) {
      if (!address.internal && address.family === 'IPv4')
        urls.push(`http://${address.address}:${port}${path}`)
    }
  }
  return urls
}
