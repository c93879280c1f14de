import type { IceServer } from '@pando/protocol'
import { isTurnServer, timeLimitedTurnCredentials, withTurnCredentials } from '@pando/server/turn-credentials'
import { UsageError } from './errors.ts'
import type { OptionValues } from './option-table.ts'

/** `--ice-servers` and the TURN servers' credentials, checked. */
export interface IceOptions {
  /** The STUN/TURN servers, with the fixed TURN credentials when given (`--turn-username`, `--turn-credential`). */
  readonly iceServers: readonly IceServer[]
  /** `--turn-secret` (or `$PANDO_TURN_SECRET`): time-limited credentials are made from it for each page. */
  readonly turnSecret: string | undefined
}

const HELP = "see 'pando --help'"

/**
 * Reads `--ice-servers`, `--turn-secret`, `--turn-username` and `--turn-credential` together: a TURN server
 * needs credentials (browsers refuse one without) unless a `pando-server` (`--host`) makes them, a username
 * needs its credential, and credentials with no TURN server would do nothing. Errors never quote a secret.
 * @throws {UsageError}
 */
export function iceOptions(values: OptionValues): IceOptions {
  const urls = values['ice-servers']
    .split(',')
    .map((url) => url.trim())
    .filter((url) => url !== '')
  const secret = values['turn-secret'] === '' ? undefined : values['turn-secret']
  const username = values['turn-username']
  const credential = values['turn-credential']
  if ((username === '') !== (credential === '')) {
    throw new UsageError(`--turn-username and --turn-credential go together: give both, or neither (${HELP})`)
  }
  const fixed = username === '' ? undefined : { username, credential }
  if (secret !== undefined && fixed !== undefined) {
    throw new UsageError(
      `--turn-secret makes the TURN credentials: drop --turn-username and --turn-credential, or the secret (${HELP})`,
    )
  }
  const servers: IceServer[] = urls.map((url) => ({ urls: url }))
  const hasTurn = servers.some(isTurnServer)
  if (!hasTurn && (secret !== undefined || fixed !== undefined)) {
    throw new UsageError(
      `TURN credentials are given, but --ice-servers names no turn: server (e.g. turn:turn.example.org:3478) (${HELP})`,
    )
  }
  // With --host, the pando-server may hold the secret (its --turn-secret) and make each page's credentials.
  if (hasTurn && secret === undefined && fixed === undefined && values.host === '') {
    throw new UsageError(
      'a turn: server in --ice-servers needs credentials, which browsers require: set $PANDO_TURN_SECRET (the ' +
        `TURN server's shared secret), or give --turn-username and --turn-credential (${HELP})`,
    )
  }
  return {
    iceServers: fixed === undefined ? servers : withTurnCredentials(servers, () => fixed),
    turnSecret: secret,
  }
}

/**
 * The ICE servers for one peer (a page, or the root itself): with time-limited credentials of its own when
 * there is a TURN secret, else as given.
 */
export function iceServersFor(options: IceOptions): IceServer[] {
  const { turnSecret } = options
  return turnSecret === undefined
    ? [...options.iceServers]
    : withTurnCredentials(options.iceServers, () => timeLimitedTurnCredentials(turnSecret))
}

/**
 * The ICE servers of the root's own peer connections: those of {@link iceServersFor}, less the TURN servers
 * that have no credentials here (a `pando-server`'s `--turn-secret` makes them for the pages only).
 */
export function rootIceServers(options: IceOptions): IceServer[] {
  return iceServersFor(options).filter((server) => !isTurnServer(server) || server.username !== undefined)
}
