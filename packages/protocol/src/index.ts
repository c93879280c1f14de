export type { Job, Outcome, SerializedError } from './job.ts'
export { WORKER_MODULE_GLOBAL } from './constants.ts'
export { ModuleContractError, RemoteError, serializeError } from './errors.ts'
export {
  PANDO_KEY,
  resolveProcessFunction,
  formatResult,
  type CallbackProcess,
  type AsyncProcess,
  type ProcessFunction,
} from './module-contract.ts'
export {
  VOLUNTEER_PROTOCOL_VERSION,
  MAX_VOLUNTEER_MESSAGE_BYTES,
  type VolunteerConfig,
  type RootToVolunteer,
  type VolunteerToRoot,
} from './volunteer-messages.ts'
export { ProtocolError, parseVolunteerMessage, parseRootMessage } from './validate.ts'
