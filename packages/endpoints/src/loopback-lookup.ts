import dns from 'node:dns'
import type { LookupFunction } from 'node:net'

/** Whether `hostname` names this machine's loopback: `localhost` and its subdomains (RFC 6761, §6.3). */
export function isLoopbackName(hostname: string): boolean {
  const name = hostname.toLowerCase().replace(/\.$/, '')
  return name === 'localhost' || name.endsWith('.localhost')
}

/**
 * `dns.lookup`, except that `localhost` is the loopback without asking anyone, as browsers do (RFC 6761):
 * a resolver may fail on it (`getaddrinfo EAI_AGAIN localhost` where `/etc/hosts` has no `::1` line and the
 * resolver is out of reach), and a root told `--host localhost:8080` must reach the `pando-server` of its
 * own machine. Both loopback addresses are offered when the caller takes them all (Node tries each).
 */
export const loopbackLookup: LookupFunction = (hostname, options, callback) => {
  if (!isLoopbackName(hostname)) {
    dns.lookup(hostname, options, callback)
    return
  }
  const wanted = options.family === 'IPv4' ? 4 : options.family === 'IPv6' ? 6 : (options.family ?? 0)
  const addresses = [
    { address: '127.0.0.1', family: 4 },
    { address: '::1', family: 6 },
  ].filter(({ family }) => wanted === 0 || wanted === family)
  if (options.all === true) {
    ;(callback as (error: null, addresses: dns.LookupAddress[]) => void)(null, addresses)
    return
  }
  const [first = { address: '127.0.0.1', family: 4 }] = addresses
  callback(null, first.address, first.family)
}
