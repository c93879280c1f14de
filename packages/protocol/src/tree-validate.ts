import type { TreeWorkMessage } from './tree-messages.ts'
import type { JoinerSignal, RelayToJoiner } from './join-messages.ts'
import { MAX_JOIN_MESSAGE_BYTES } from './constants.ts'
import { ProtocolError } from './errors.ts'
import { parseJsonText } from './json-text.ts'
import { checkArray } from './validate.ts'
import { jobsFromWire, outcomesFromWire } from './work-wire.ts'
import { browserMarkFromWire, withAvoid, withComputedBy } from './tab-attribution.ts'
import { recallFromWire, returnFromWire, withMsPerItem } from './give-back.ts'
import { checkVolunteerReport } from './monitoring-validate.ts'
import { checkRunProgress } from './run-progress.ts'

/**
 * Checks a work message received on a tree link (already parsed from JSON by the channel); `undefined`
 * when its type is not a work message (it may be another layer's). @throws {ProtocolError} when malformed
 */
export function parseTreeWorkMessage(value: unknown): TreeWorkMessage | undefined {
  if (typeof value !== 'object' || value === null) throw new ProtocolError('message is not an object')
  const message = value as Record<string, unknown>
  switch (message.type) {
    case 'jobs':
      return { type: 'jobs', jobs: withAvoid(jobsFromWire(message), message) }
    case 'outcomes': {
      // Only tree links name the tabs: a WebSocket volunteer is one tab, named by its socket.
      const outcomes = withComputedBy(outcomesFromWire(message), message)
      return withMsPerItem({ type: 'outcomes', outcomes }, message)
    }
    case 'recall':
      return recallFromWire(message)
    case 'return':
      return returnFromWire(message)
    case 'status':
      return { type: 'status', reports: checkArray(message.reports, checkVolunteerReport, 'reports') }
    case 'progress':
      return { type: 'progress', ...checkRunProgress(message) }
    case 'finished':
      return { type: 'finished' }
    case 'browser-mark':
      return browserMarkFromWire(message)
    default:
      return undefined
  }
}

/** Parses and checks a joiner's message to the signaling relay. @throws {ProtocolError} */
export function parseJoinerSignal(data: string, maxBytes = MAX_JOIN_MESSAGE_BYTES): JoinerSignal {
  const message = parseJsonText(data, maxBytes)
  const m = message as Record<string, unknown> | null
  if (typeof m !== 'object' || m === null || m.type !== 'join')
    throw new ProtocolError('expected a join message')
  const { seq, weight, signal } = m
  if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 0)
    throw new ProtocolError('malformed seq')
  if (typeof weight !== 'number' || !Number.isSafeInteger(weight) || weight < 1) {
    throw new ProtocolError('malformed weight')
  }
  if (typeof signal !== 'object' || signal === null) throw new ProtocolError('malformed signal')
  return { type: 'join', seq, weight, signal }
}

/**
 * Checks what the relay passes to a joiner (`/join`, relay → joiner; and the root link's `to-joiner`, which
 * carries it): `undefined` when it is not a `RelayToJoiner`. A rejection's reason is cut to 200 characters.
 */
export function checkRelayToJoiner(value: unknown): RelayToJoiner | undefined {
  if (typeof value !== 'object' || value === null) return undefined
  const m = value as Record<string, unknown>
  if (m.type === 'answer' && typeof m.signal === 'object' && m.signal !== null) {
    return { type: 'answer', signal: m.signal }
  }
  if (m.type === 'rejected' && typeof m.reason === 'string') {
    return { type: 'rejected', reason: m.reason.slice(0, 200) }
  }
  return undefined
}
