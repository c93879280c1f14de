import type { ServerAddress } from '@pando/endpoints'
import { DEFAULT_PORT, ROOT_PATH } from '@pando/protocol'
import { UsageError } from '../errors.ts'

export type { ServerAddress } from '@pando/endpoints'

const SCHEMES: Readonly<Record<string, { page: string; link: string }>> = {
  'http:': { page: 'http:', link: 'ws:' },
  'ws:': { page: 'http:', link: 'ws:' },
  'https:': { page: 'https:', link: 'wss:' },
  'wss:': { page: 'https:', link: 'wss:' },
}

/**
 * Reads `--host`: `HOST:PORT`, `HOST` (port 5000), `[IPv6]:PORT`, or a URL (`http://HOST:PORT/`, `https://…`
 * for a server behind TLS). @throws {UsageError} when it is none of them
 */
export function parseServerAddress(value: string): ServerAddress {
  const bad = (why: string): UsageError =>
    new UsageError(
      `--host ${JSON.stringify(value)} ${why}: give the pando-server as HOST:PORT, e.g. --host example.org:5000 (see 'pando --help')`,
    )
  const isUrl = /^[a-z][a-z0-9+.-]*:\/\//i.test(value)
  let url: URL
  try {
    url = new URL(isUrl ? value : `http://${value}`)
  } catch {
    throw bad('is not a host')
  }
  const scheme = SCHEMES[url.protocol]
  if (scheme === undefined) throw bad(`has the scheme ${url.protocol} (http, https, ws or wss only)`)
  if (url.hostname === '') throw bad('has no host name')
  if (url.username !== '' || url.password !== '') {
    throw bad('holds a user name or password (the secret never goes in a URL)')
  }
  if (url.pathname !== '/' || url.search !== '' || url.hash !== '')
    throw bad('has a path (pando-server serves at /)')
  // URL leaves out a scheme's default port (80 for http:), so a bare HOST:80 is read from the text.
  const typedPort = /:(\d+)\/?$/.exec(value)?.[1]
  const port = url.port || typedPort || (isUrl ? defaultPort(url.protocol) : String(DEFAULT_PORT))
  const host = `${url.hostname}:${Number(port)}`
  return {
    display: host,
    pageUrl: `${scheme.page}//${host}/`,
    rootUrl: `${scheme.link}//${host}${ROOT_PATH}`,
  }
}

function defaultPort(protocol: string): string {
  return protocol === 'https:' || protocol === 'wss:' ? '443' : '80'
}
