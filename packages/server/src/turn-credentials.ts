import { createHmac, randomBytes } from 'node:crypto'
import type { IceServer } from '@pando/protocol'
import { TURN_CREDENTIAL_TTL_S } from './constants.ts'

/** A TURN username and credential. */
export interface TurnCredentials {
  readonly username: string
  readonly credential: string
}

export interface TimeLimitedOptions {
  /** Who the credentials are for, in the username after the expiry (no `:`). @default 8 random bytes, hex */
  readonly id?: string
  /** @default TURN_CREDENTIAL_TTL_S */
  readonly ttlSeconds?: number
  /** @default Date.now */
  readonly now?: () => number
}

/**
 * Time-limited TURN credentials from the secret shared with the TURN server (the "TURN REST API" that
 * coturn's `use-auth-secret` implements): the username is `EXPIRY:ID`, EXPIRY in Unix seconds, and the
 * credential is base64(HMAC-SHA1(secret, username)). The TURN server checks the HMAC and the expiry; it
 * needs no list of users.
 */
export function timeLimitedTurnCredentials(
  secret: string,
  options: TimeLimitedOptions = {},
): TurnCredentials {
  const now = options.now ?? Date.now
  const expiry = Math.floor(now() / 1000) + (options.ttlSeconds ?? TURN_CREDENTIAL_TTL_S)
  const username = `${expiry}:${options.id ?? randomBytes(8).toString('hex')}`
  const credential = createHmac('sha1', secret).update(username, 'utf8').digest('base64')
  return { username, credential }
}

/** Whether a server entry is a TURN server (`turn:` or `turns:`): only those take credentials. */
export function isTurnServer(server: IceServer): boolean {
  const urls: readonly string[] = typeof server.urls === 'string' ? [server.urls] : server.urls
  return urls.some((url) => /^turns?:/i.test(url))
}

/**
 * `servers` with `credentials()` given to each TURN server that has no username yet (fixed credentials win);
 * STUN servers are left as they are. One call of `credentials` serves every TURN server of the list.
 */
export function withTurnCredentials(
  servers: readonly IceServer[],
  credentials: () => TurnCredentials,
): IceServer[] {
  let made: TurnCredentials | undefined
  return servers.map((server) => {
    if (!isTurnServer(server) || server.username !== undefined) return server
    made ??= credentials()
    return { ...server, ...made }
  })
}
