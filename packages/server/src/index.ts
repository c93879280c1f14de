export { createServer, type ServerOptions, type PandoServer } from './server.ts'
export { createHostingServer, type HostingServerOptions, type HostingServer } from './hosting-server.ts'
export { LinkError } from './errors.ts'
export { RootRegistry, type RootRegistryOptions, type RootRegistryEvent } from './root-registry.ts'
export { secretsMatch, GuessLimiter, type GuessLimiterOptions } from './secret.ts'
export { reachableUrls, listeningUrls, isWildcard } from './addresses.ts'
export { AccessGuard, createAccessToken, withToken, type AccessOptions } from './access.ts'
export {
  ADDRESS_RANGES,
  candidateAddress,
  filterSignal,
  isAddressInRange,
  type AddressRange,
} from './address-ranges.ts'
export { JoinRelay, type JoinRelayOptions, type JoinSignalForRoot } from './join-relay.ts'
export {
  DEFAULT_HEARTBEAT_MS,
  WRONG_SECRET_DELAY_MS,
  MAX_WRONG_SECRETS,
  TURN_CREDENTIAL_TTL_S,
  STALL_INTERVALS,
} from './constants.ts'
export { VIEWER_SENT_DATA_CODE } from './monitor-feed.ts'
export { startHeartbeat } from './heartbeat.ts'
export { LoopStall } from './loop-stall.ts'
export { CONTENT_SECURITY_POLICY } from './security-headers.ts'
export {
  isTurnServer,
  timeLimitedTurnCredentials,
  withTurnCredentials,
  type TimeLimitedOptions,
  type TurnCredentials,
} from './turn-credentials.ts'
export { processClock } from './process-clock.ts'
