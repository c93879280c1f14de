import { randomBytes } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import { isIP } from 'node:net'
import os from 'node:os'
import type { Duplex } from 'node:stream'
import { ACCESS_TOKEN_PARAMETER as TOKEN_PARAMETER } from '@pando/protocol'
import type express from 'express'
import { TOKEN_BYTES } from './constants.ts'
import { secretsMatch } from './secret.ts'

/**
 * Who may use a server: only those given its URL (the token), from its own pages (`Origin`), reaching it by a
 * name it knows (`Host`).
 */
export interface AccessOptions {
  /**
   * The run's token, required as `?token=` by every page, run file, feed and socket; `undefined` for none
   * (`--open`: a public demo). Make one with {@link createAccessToken}.
   */
  readonly token?: string | undefined
  /**
   * Host names the server may be reached by, besides IP literals, `localhost` (and `*.localhost`) and this
   * machine's host name (`--allow-host`): any other `Host` is refused, against DNS rebinding.
   */
  readonly allowedHosts?: readonly string[]
}

/** A new random token, URL-safe (base64url). */
export function createAccessToken(): string {
  return randomBytes(TOKEN_BYTES).toString('base64url')
}

/** `url` with the token as its `?token=` parameter (unchanged without one). */
export function withToken(url: string, token: string | undefined): string {
  if (token === undefined) return url
  const withParameter = new URL(url)
  withParameter.searchParams.set(TOKEN_PARAMETER, token)
  return withParameter.href
}

/**
 * A built page's script, named with its content hash by webpack (`main.1a2b3c4d.js`): the same for every run
 * and every server of a version, so it is served without the token (a page's HTML, which names it, needs one).
 */
export const HASHED_ASSET = /\.[0-9a-f]{8}\.js$/

/** Why a request is refused: the HTTP status and a plain message for whoever made it. */
export interface Refusal {
  readonly status: 403
  readonly message: string
}

const OPEN_THE_PRINTED_URL = "open the URL that pando printed (with its '?token=')"

/** The host name part of a `Host` header or an origin's host (`[::1]:5000` → `::1`, `a.org:80` → `a.org`). */
function hostName(host: string): string {
  const bracketed = /^\[([^\]]*)\](?::\d*)?$/.exec(host)
  if (bracketed !== null) return bracketed[1] ?? ''
  return host.replace(/:\d*$/, '').toLowerCase()
}

/** Whether `name` (from `Host`) is one the server is reached by. */
function isKnownHost(name: string, allowed: ReadonlySet<string>): boolean {
  if (isIP(name) !== 0) return true
  if (name === 'localhost' || name.endsWith('.localhost')) return true
  const machine = os.hostname().toLowerCase()
  if (name === machine || name === `${machine}.local`) return true
  return allowed.has(name.replace(/\.$/, ''))
}

/** The `?token=` of a request's URL, if any. */
function tokenOf(request: IncomingMessage): string | undefined {
  const url = new URL(request.url ?? '/', 'http://localhost')
  return url.searchParams.get(TOKEN_PARAMETER) ?? undefined
}

/**
 * The checks of every request and WebSocket upgrade: `Host` (against DNS rebinding), `Origin` (a page of
 * another origin may not use the server, even with the token), and the token (unless open).
 */
export class AccessGuard {
  readonly #token: string | undefined
  readonly #allowedHosts: ReadonlySet<string>

  constructor(options: AccessOptions = {}) {
    this.#token = options.token
    this.#allowedHosts = new Set((options.allowedHosts ?? []).map((name) => name.toLowerCase()))
  }

  /**
   * Why `request` is refused, or `undefined` when it may go on. `needsToken` is false for what is public:
   * a page's hashed scripts.
   */
  check(request: IncomingMessage, { needsToken = true } = {}): Refusal | undefined {
    const host = request.headers.host
    if (host === undefined || !isKnownHost(hostName(host), this.#allowedHosts)) {
      return {
        status: 403,
        message:
          `pando does not answer to the host name ${JSON.stringify(host ?? '')}: reach it by its IP address, ` +
          "localhost or this machine's name, or allow the name with --allow-host",
      }
    }
    const origin = request.headers.origin
    if (origin !== undefined && !isSameOrigin(origin, host)) {
      return { status: 403, message: `pages of another origin (${origin}) may not use pando` }
    }
    if (isCrossSiteSubresource(request)) {
      return { status: 403, message: 'pages of another site may not use pando' }
    }
    if (needsToken && this.#token !== undefined) {
      const given = tokenOf(request)
      if (given === undefined) return { status: 403, message: `no token: ${OPEN_THE_PRINTED_URL}` }
      if (!secretsMatch(given, this.#token))
        return { status: 403, message: `wrong token: ${OPEN_THE_PRINTED_URL}` }
    }
    return undefined
  }

  /** Checks every HTTP request; a refused one gets its status and message as plain text. */
  middleware(): express.Handler {
    return (request, response, next) => {
      const refusal = this.check(request, { needsToken: !HASHED_ASSET.test(request.path) })
      if (refusal === undefined) return next()
      response.status(refusal.status).type('text/plain').send(`${refusal.message}\n`)
    }
  }

  /**
   * Checks a WebSocket upgrade (`needsToken` false for the root link, which the secret guards): true when it
   * may go on; else the socket is answered with the refusal's
   * status and message, and closed.
   */
  admitUpgrade(request: IncomingMessage, socket: Duplex, { needsToken = true } = {}): boolean {
    const refusal = this.check(request, { needsToken })
    if (refusal === undefined) return true
    const body = `${refusal.message}\n`
    socket.end(
      `HTTP/1.1 ${refusal.status} Forbidden\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    )
    return false
  }
}

/** Whether `origin` (an `Origin` header) is the server's own, as reached by `host` (the `Host` header). */
function isSameOrigin(origin: string, host: string): boolean {
  try {
    const url = new URL(origin)
    // The scheme may differ: behind a TLS-terminating proxy, the page is https and the server sees http.
    return (
      (url.protocol === 'http:' || url.protocol === 'https:') && url.host === new URL(`http://${host}`).host
    )
  } catch {
    return false
  }
}

/**
 * Whether a browser says the request comes from a page of another site (`Sec-Fetch-Site`) and is not a
 * navigation: a `<script src>` or `<img>` of another page sends no `Origin`, but Chromium says this. A
 * navigation (a link to the printed URL, from a chat or a mail) is let through.
 */
function isCrossSiteSubresource(request: IncomingMessage): boolean {
  const site = request.headers['sec-fetch-site']
  const mode = request.headers['sec-fetch-mode']
  return (site === 'cross-site' || site === 'same-site') && mode !== 'navigate'
}
