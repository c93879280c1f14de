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

/** True for an address that means "every interface". */
export function isWildcard(host: string | undefined): boolean {
  return host === undefined || host === '' || host === '0.0.0.0' || host === '::'
}

/** `host` as the host part of a URL (IPv6 in brackets). */
function urlHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host
}

/**
 * The URLs at which a server listening on `host` (`undefined` for every interface) can be reached: those of
 * {@link reachableUrls} on every interface, else the one of that interface.
 */
export function listeningUrls(host: string | undefined, port: number, path = '/'): string[] {
  if (isWildcard(host)) return reachableUrls(port, path)
  return [`http://${urlHost(host ?? '')}:${port}${path}`]
}
