import type { Json } from './envelope.ts'
import { ProtocolError } from './errors.ts'

/**
 * A sign of life, sent on every tick of a `Link`'s heartbeat, on every link of a run (a tree link, a
 * volunteer's WebSocket, the root link to a `pando-server`); any message counts as one. It also measures the
 * round trip: `sentAt` is the sender's clock; the next heartbeat back echoes it (`echo`) with how long the
 * peer kept it before sending (`heldMs`), so the sender's round trip is its clock now − `echo` − `heldMs`.
 * Clocks are never compared across peers.
 */
export interface HeartbeatMessage {
  readonly type: 'heartbeat'
  readonly sentAt?: number
  readonly echo?: number
  readonly heldMs?: number
}

/** A time or duration of a heartbeat, if given: a finite number ≥ 0. @throws {ProtocolError} */
function heartbeatTime(message: Json, field: 'sentAt' | 'echo' | 'heldMs'): { [field: string]: number } {
  const value = message[field]
  if (value === undefined) return {}
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new ProtocolError(`heartbeat.${field} is not a time`)
  }
  return { [field]: value }
}

/** A heartbeat either way: its optional times, `echo` and `heldMs` both or neither. @throws {ProtocolError} */
export function heartbeatFromWire(message: Json): HeartbeatMessage {
  if ((message.echo === undefined) !== (message.heldMs === undefined)) {
    throw new ProtocolError('heartbeat.echo and heartbeat.heldMs come together')
  }
  return {
    type: 'heartbeat',
    ...heartbeatTime(message, 'sentAt'),
    ...heartbeatTime(message, 'echo'),
    ...heartbeatTime(message, 'heldMs'),
  }
}
