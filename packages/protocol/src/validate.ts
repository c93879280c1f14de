import { isRecord, parseEnvelope } from './envelope.ts'
import { tabWorkers } from './tab-settings.ts'
import type { RootToVolunteer, VolunteerToRoot } from './volunteer-messages.ts'
import { heartbeatFromWire } from './heartbeat-message.ts'
import { browserMark } from './browser-mark.ts'
import { checkVolunteerReport } from './monitoring-validate.ts'
import { ProtocolError } from './errors.ts'
import { jobsFromWire, outcomesFromWire } from './work-wire.ts'
import { recallFromWire, returnFromWire, withMsPerItem } from './give-back.ts'
import { checkRunProgress } from './run-progress.ts'
import { MAX_DEVICE_NAME_LENGTH, MAX_VOLUNTEER_MESSAGE_BYTES } from './constants.ts'

/** Checks that `value` is an array and each element with `check`. @throws {ProtocolError} */
export function checkArray<T>(value: unknown, check: (item: unknown) => T, what: string): T[] {
  if (!Array.isArray(value)) throw new ProtocolError(`${what} is not an array`)
  return value.map(check)
}

/** Parses and validates a message from a volunteer. @throws {ProtocolError} */
export function parseVolunteerMessage(data: string, maxBytes = MAX_VOLUNTEER_MESSAGE_BYTES): VolunteerToRoot {
  const message = parseEnvelope(data, maxBytes)
  switch (message.type) {
    case 'hello':
      if (typeof message.protocolVersion !== 'number' || typeof message.deviceName !== 'string') {
        throw new ProtocolError('malformed hello')
      }
      return {
        type: 'hello',
        protocolVersion: message.protocolVersion,
        deviceName: message.deviceName.slice(0, MAX_DEVICE_NAME_LENGTH),
        ...(message.workers === undefined ? {} : { workers: tabWorkers(message.workers, 'hello.workers') }),
        ...(message.browserMark === undefined
          ? {}
          : { browserMark: browserMark(message.browserMark, 'hello.browserMark') }),
      }
    case 'outcomes':
      return withMsPerItem({ type: 'outcomes', outcomes: outcomesFromWire(message) }, message)
    case 'status':
      return { type: 'status', report: checkVolunteerReport(message.report) }
    case 'heartbeat':
      return heartbeatFromWire(message)
    case 'return':
      return returnFromWire(message)
    default:
      throw new ProtocolError(`unknown message type '${String(message.type).slice(0, 40)}'`)
  }
}

/** Parses and validates a message from the root. @throws {ProtocolError} */
export function parseRootMessage(data: string, maxBytes = MAX_VOLUNTEER_MESSAGE_BYTES): RootToVolunteer {
  const message = parseEnvelope(data, maxBytes)
  switch (message.type) {
    case 'welcome': {
      const config = message.config
      if (
        typeof message.volunteerId !== 'string' ||
        !isRecord(config) ||
        typeof config.bundleUrl !== 'string' ||
        typeof config.moduleName !== 'string'
      ) {
        throw new ProtocolError('malformed welcome')
      }
      const { bundleUrl, moduleName } = config
      return {
        type: 'welcome',
        volunteerId: message.volunteerId,
        config: { bundleUrl, moduleName },
        ...(message.browserMark === undefined
          ? {}
          : { browserMark: browserMark(message.browserMark, 'welcome.browserMark') }),
      }
    }
    case 'progress':
      return { type: 'progress', ...checkRunProgress(message) }
    case 'jobs':
      return { type: 'jobs', jobs: jobsFromWire(message) }
    case 'recall':
      return recallFromWire(message)
    case 'error':
      return { type: 'error', reason: typeof message.reason === 'string' ? message.reason : 'unknown' }
    case 'heartbeat':
      return heartbeatFromWire(message)
    default:
      throw new ProtocolError(`unknown message type '${String(message.type).slice(0, 40)}'`)
  }
}
