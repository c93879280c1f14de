export { createServer, type ServerOptions, type PandoServer } from './server.ts'
export { reachableUrls } from './addresses.ts'
export {
  ADDRESS_RANGES,
  candidateAddress,
  filterSignal,
  isAddressInRange,
  type AddressRange,
} from './address-ranges.ts'
export { JoinRelay, type JoinRelayOptions, type JoinSignalForRoot } from './join-relay.ts'
export {
  VOLUNTEER_PATH,
  RUN_PATH,
  JOIN_PATH,
  DEFAULT_HEARTBEAT_MS,
  MONITOR_PATH,
  MONITOR_FEED_PATH,
} from './constants.ts'
export { VIEWER_SENT_DATA_CODE } from './monitor-feed.ts'
