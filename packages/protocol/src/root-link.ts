import {
  CLOSE_GOING_AWAY,
  CLOSE_INTERNAL_ERROR,
  CLOSE_MESSAGE_TOO_BIG,
  CLOSE_NORMAL,
  CLOSE_PROTOCOL_ERROR,
  CLOSE_ROOT_LEFT,
  CLOSE_TRY_AGAIN_LATER,
  MAX_CLOSE_REASON_BYTES,
} from './close-codes.ts'
import { parseEnvelope, type Json } from './envelope.ts'
import { ProtocolError } from './errors.ts'
import { heartbeatFromWire, type HeartbeatMessage } from './heartbeat-message.ts'
import type { RelayToJoiner } from './join-messages.ts'
import { checkRelayToJoiner } from './tree-validate.ts'
import type { MonitorMessage } from './monitoring.ts'
import { checkMonitorMessage } from './monitoring-validate.ts'
import { RUN_CONFIG_FILENAME } from './run-config.ts'
import {
  MAX_ROOT_LINK_MESSAGE_BYTES,
  MAX_SECRET_LENGTH,
  MAX_RUN_FILES,
  MAX_ORIGIN_LENGTH,
  MAX_VOLUNTEER_MESSAGE_BYTES,
  MAX_JOIN_MESSAGE_BYTES,
} from './constants.ts'

/**
 * The root link: one WebSocket (`/root` on a `pando-server`) between the server and the one `pando` process
 * that is the root of the run it hosts, as JSON text frames, each side validating what it receives.
 *
 * 1. root → `hello` (the link's version and the server's secret: the secret travels in this first message,
 *    never in a URL); server → `welcome` (its URLs, and its access token unless it is open: the root prints
 *    the URL it was given with `--host` with that token), or `error` and close: wrong secret (after a delay),
 *    another root already registered, another version.
 * 2. root → `run-files` (the bundled module and `config.json`); server → `ready` once it serves them at
 *    `/run/`. From then on the server relays to the root:
 *    - the signals of joining tabs (`join-signal`), answered by `to-joiner`;
 *    - the volunteers of the WebSocket transport, tunnelled: the server keeps their sockets (and their
 *      heartbeat) and says `volunteer-open`, `volunteer-message`, `volunteer-close`; the root answers with
 *      `volunteer-send` and `volunteer-close`;
 *    - and the root's `status`es to the dashboards.
 *
 * Either side closes the link on a message that breaks the protocol. From the `welcome` on, both ends watch
 * the link with the same `Link`, as every link of a run: a `heartbeat` each way every `heartbeatMs` (the
 * server's, told in the `welcome`), which also measures the round trip, and a peer silent for
 * `rootLinkTimeoutMs(heartbeatMs)` given up (the server then drops the root, the root stops its run), in
 * the same words at both ends (`silentLinkReason`).
 */

/**
 * Bumped when a message changes incompatibly; the server refuses a root that speaks another version. 2:
 * `heartbeat` messages both ways, instead of the server's WebSocket pings.
 */
export const ROOT_LINK_VERSION = 2

/** One file of the run, served by the server at `/run/NAME`: the bundled module, `config.json`… */
export interface RunFile {
  /** A plain file name: letters, digits, `.`, `_`, `-`, not starting with `.`. */
  readonly name: string
  /** Its content, as UTF-8 text. */
  readonly content: string
}

/** A signal of a joining tab, tagged with its attempt's origin, as the overlay's `join-signal`. */
export interface RootLinkJoinSignal {
  readonly type: 'join-signal'
  readonly origin: string
  readonly seq: number
  readonly weight: number
  readonly signal: unknown
}

/** Root → server. */
export type RootToServer =
  /** The first message: who the root is. */
  | { readonly type: 'hello'; readonly version: number; readonly secret: string }
  /** After `welcome`: the files the volunteer pages load. */
  | { readonly type: 'run-files'; readonly files: readonly RunFile[] }
  /** What the tree answers to a join attempt. */
  | { readonly type: 'to-joiner'; readonly origin: string; readonly message: RelayToJoiner }
  /** A text frame for a tunnelled volunteer. */
  | { readonly type: 'volunteer-send'; readonly connection: number; readonly data: string }
  /** The root closes a tunnelled volunteer's socket. */
  | {
      readonly type: 'volunteer-close'
      readonly connection: number
      readonly code: number
      readonly reason: string
    }
  /** The run's status, for the dashboards. */
  | { readonly type: 'status'; readonly status: MonitorMessage }
  /** The root's sign of life, from the `welcome` on (see the link's `Link`). */
  | HeartbeatMessage

/** Server → root. */
export type ServerToRoot =
  /** The secret is right: where volunteers and dashboards go, and the link's heartbeat (both ends'). */
  | {
      readonly type: 'welcome'
      readonly urls: readonly string[]
      readonly dashboardUrls: readonly string[]
      readonly heartbeatMs: number
      /** The server's access token (`?token=`), absent when it was started `--open`. */
      readonly token?: string
    }
  /** The run's files are served: volunteers may come. */
  | { readonly type: 'ready' }
  /** The server closes the link for this reason. */
  | { readonly type: 'error'; readonly reason: string }
  | RootLinkJoinSignal
  /** A volunteer opened `/volunteer`; `connection` names it on the link until its `volunteer-close`. */
  | { readonly type: 'volunteer-open'; readonly connection: number }
  /** A text frame from a tunnelled volunteer. */
  | { readonly type: 'volunteer-message'; readonly connection: number; readonly data: string }
  /** A tunnelled volunteer's socket closed (it left, missed a heartbeat, or the root closed it). */
  | {
      readonly type: 'volunteer-close'
      readonly connection: number
      readonly code: number
      readonly reason: string
    }
  /** The server's sign of life, from the `welcome` on (see the link's `Link`). */
  | HeartbeatMessage

function text(message: Json, field: string, maxLength: number, minLength = 0): string {
  const value = message[field]
  if (typeof value !== 'string' || value.length < minLength || value.length > maxLength) {
    throw new ProtocolError(`malformed ${String(message.type)}: ${field}`)
  }
  return value
}

function integer(message: Json, field: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const value = message[field]
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new ProtocolError(`malformed ${String(message.type)}: ${field}`)
  }
  return value
}

/**
 * The RFC 6455 close codes a root may ask the server to close a volunteer with: 1009 for a volunteer's
 * message over its limit; an application's 3000–4999 are taken too.
 */
const CLOSE_CODES_A_ROOT_MAY_SEND: readonly number[] = [
  CLOSE_NORMAL,
  CLOSE_GOING_AWAY,
  CLOSE_PROTOCOL_ERROR,
  CLOSE_MESSAGE_TOO_BIG,
  CLOSE_INTERNAL_ERROR,
  CLOSE_ROOT_LEFT,
  CLOSE_TRY_AGAIN_LATER,
]

/** A close code a peer may ask for: one of {@link CLOSE_CODES_A_ROOT_MAY_SEND}, or 3000–4999. */
function closeCode(message: Json): number {
  const code = integer(message, 'code', 1000, 4999)
  if (code >= 3000 || CLOSE_CODES_A_ROOT_MAY_SEND.includes(code)) return code
  throw new ProtocolError(`malformed ${String(message.type)}: code`)
}

/** A tunnelled volunteer's connection and a message of its (`volunteer-send`, `volunteer-message`). */
function tunnelledText(message: Json): { connection: number; data: string } {
  return {
    connection: integer(message, 'connection', 1),
    data: text(message, 'data', MAX_VOLUNTEER_MESSAGE_BYTES),
  }
}

/**
 * Close reasons are at most {@link MAX_CLOSE_REASON_BYTES} bytes on the wire: the receiver cuts them to as
 * many characters here, and to bytes when it closes (`fitCloseReason`).
 */
function closeReason(message: Json): string {
  return text(message, 'reason', 1000).slice(0, MAX_CLOSE_REASON_BYTES)
}

function urls(message: Json, field: string): string[] {
  const value = message[field]
  if (!Array.isArray(value) || value.length > 32) throw new ProtocolError(`malformed welcome: ${field}`)
  return value.map((url) => {
    if (typeof url !== 'string' || url.length > 2048) throw new ProtocolError(`malformed welcome: ${field}`)
    return url
  })
}

/** A welcome's access token: URL-safe characters only, as it goes into URLs as they are. */
function accessToken(message: Json): string {
  const token = message.token
  if (typeof token !== 'string' || !/^[A-Za-z0-9_-]{1,256}$/.test(token)) {
    throw new ProtocolError('malformed welcome: token')
  }
  return token
}

/** A file name that names a file in one directory and nothing else. */
export function isRunFileName(name: string): boolean {
  return /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,99}$/.test(name)
}

function runFiles(message: Json): RunFile[] {
  const files = message.files
  if (!Array.isArray(files) || files.length > MAX_RUN_FILES) throw new ProtocolError('malformed run-files')
  const names = new Set<string>()
  const checked = files.map((file: unknown) => {
    if (typeof file !== 'object' || file === null) throw new ProtocolError('malformed run-files')
    const entry = file as Json
    const name = text(entry, 'name', 100, 1)
    if (!isRunFileName(name) || names.has(name)) {
      throw new ProtocolError('run-files: a bad or repeated file name')
    }
    names.add(name)
    return { name, content: text(entry, 'content', MAX_ROOT_LINK_MESSAGE_BYTES) }
  })
  if (!names.has(RUN_CONFIG_FILENAME)) throw new ProtocolError(`run-files: no ${RUN_CONFIG_FILENAME}`)
  return checked
}

function toJoiner(message: Json): RelayToJoiner {
  const checked = checkRelayToJoiner(message.message)
  if (checked === undefined) throw new ProtocolError('malformed to-joiner')
  return checked
}

/**
 * Parses and validates a message from the root. Before the root is known, pass
 * {@link MAX_ROOT_HELLO_BYTES} as `maxBytes`. @throws {ProtocolError}
 */
export function parseRootToServer(data: string, maxBytes = MAX_ROOT_LINK_MESSAGE_BYTES): RootToServer {
  const message = parseEnvelope(data, maxBytes)
  switch (message.type) {
    case 'hello':
      return {
        type: 'hello',
        version: integer(message, 'version', 0),
        secret: text(message, 'secret', MAX_SECRET_LENGTH),
      }
    case 'run-files':
      return { type: 'run-files', files: runFiles(message) }
    case 'to-joiner':
      return {
        type: 'to-joiner',
        origin: text(message, 'origin', MAX_ORIGIN_LENGTH, 1),
        message: toJoiner(message),
      }
    case 'volunteer-send':
      return { type: 'volunteer-send', ...tunnelledText(message) }
    case 'volunteer-close':
      return {
        type: 'volunteer-close',
        connection: integer(message, 'connection', 1),
        code: closeCode(message),
        reason: closeReason(message),
      }
    case 'status':
      return { type: 'status', status: checkMonitorMessage(message.status) }
    case 'heartbeat':
      return heartbeatFromWire(message)
    default:
      throw new ProtocolError(`unknown message type '${String(message.type).slice(0, 40)}'`)
  }
}

/** Parses and validates a message from the server. @throws {ProtocolError} */
export function parseServerToRoot(data: string, maxBytes = MAX_ROOT_LINK_MESSAGE_BYTES): ServerToRoot {
  const message = parseEnvelope(data, maxBytes)
  switch (message.type) {
    case 'welcome':
      return {
        type: 'welcome',
        urls: urls(message, 'urls'),
        dashboardUrls: urls(message, 'dashboardUrls'),
        heartbeatMs: integer(message, 'heartbeatMs', 1),
        ...(message.token === undefined ? {} : { token: accessToken(message) }),
      }
    case 'ready':
      return { type: 'ready' }
    case 'error':
      return { type: 'error', reason: text(message, 'reason', 1000) }
    case 'join-signal': {
      const signal = message.signal
      if (
        typeof signal !== 'object' ||
        signal === null ||
        JSON.stringify(signal).length > MAX_JOIN_MESSAGE_BYTES
      ) {
        throw new ProtocolError('malformed join-signal: signal')
      }
      return {
        type: 'join-signal',
        origin: text(message, 'origin', MAX_ORIGIN_LENGTH, 1),
        seq: integer(message, 'seq', 0),
        weight: integer(message, 'weight', 1),
        signal,
      }
    }
    case 'volunteer-open':
      return { type: 'volunteer-open', connection: integer(message, 'connection', 1) }
    case 'volunteer-message':
      return { type: 'volunteer-message', ...tunnelledText(message) }
    case 'volunteer-close':
      return {
        type: 'volunteer-close',
        connection: integer(message, 'connection', 1),
        // What the volunteer's socket closed with: also 1005 (no code) and 1006 (cut), as ws reports them.
        code: integer(message, 'code', 1000, 4999),
        reason: closeReason(message),
      }
    case 'heartbeat':
      return heartbeatFromWire(message)
    default:
      throw new ProtocolError(`unknown message type '${String(message.type).slice(0, 40)}'`)
  }
}
