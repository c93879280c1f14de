export type { Job, Outcome, SerializedError } from './job.ts'
export type { Clock, GlobalTimers, TimerHandle } from './clock.ts'
export { Emitter, type EventMap, type Listener, type Subscribable } from './emitter.ts'
export type { Channel, ChannelEvents, ChannelState } from './channel.ts'
export { DeliveredChannel, type ChannelTransport } from './delivered-channel.ts'
export { Heartbeat, type HeartbeatComponents, type HeartbeatOptions } from './heartbeat.ts'
export { heartbeatFromWire, type HeartbeatMessage } from './heartbeat-message.ts'
export { Link, type LinkHandlers } from './link.ts'
export { RoundTrip, smoothRoundTrip } from './round-trip.ts'
export { jsonStringLength, jobJsonLength, outcomeJsonLength, packByLength } from './message-size.ts'
export {
  WORKER_MODULE_GLOBAL,
  ACCESS_TOKEN_PARAMETER,
  DEFAULT_HEARTBEAT_MS,
  webSocketLinkTimeoutMs,
  HEARTBEAT_TICKS_PER_TIMEOUT,
  rootLinkTimeoutMs,
  silentLinkReason,
  DEFAULT_BOOTSTRAP_TIMEOUT_MS,
  CLOSE_GRACE_MS,
  DEFAULT_PORT,
  DEFAULT_DEGREE,
  DEFAULT_ITEM_TIMEOUT_MS,
  DEFAULT_REPORTING_INTERVAL_MS,
  STALE_REPORT_INTERVALS,
  MAX_DEVICE_NAME_LENGTH,
  MAX_TAB_WORKERS,
  MAX_VOLUNTEER_HELLO_CHARS,
  VOLUNTEER_HELLO_TIMEOUT_MS,
  MAX_TREE_LINK_MESSAGE_CHARS,
  MAX_LINK_ITEM_CHARS,
  DEFAULT_MAX_RESULT_CHARS,
  REORDER_WINDOW_CHARS,
  MAX_VOLUNTEER_SOCKETS_PER_ADDRESS,
  MAX_VIEWERS_PER_ADDRESS,
  RECONNECT_BASE_DELAY,
  RECONNECT_MAX_DELAY,
  RELATIVE_TIMEOUT_SAMPLES,
  RELATIVE_TIMEOUT_WARMUP_MS,
  RELATIVE_TIMEOUT_FLOOR_MS,
  MAX_AVOIDED_TABS,
  MAX_JSON_DEPTH,
  MAX_MONITORED_ID_LENGTH,
  MAX_EXCLUSION_REASON_LENGTH,
  MAX_UNITS_LENGTH,
  MAX_MONITOR_MESSAGE_BYTES,
  MAX_VOLUNTEER_REPORT_BYTES,
  MAX_MONITORED_VOLUNTEERS,
  MAX_JOIN_SIGNALS,
  MAX_JOIN_MESSAGE_BYTES,
  MAX_ROOT_LINK_MESSAGE_BYTES,
  MAX_ROOT_HELLO_BYTES,
  MAX_SECRET_LENGTH,
  MAX_RUN_FILES,
  MAX_ORIGIN_LENGTH,
  MAX_TREE_MESSAGE_CHARS,
  MAX_VOLUNTEER_MESSAGE_BYTES,
  RUN_FINISHED_GRACE_MS,
  SHORT_ID_LENGTH,
} from './constants.ts'
export {
  VOLUNTEER_PATH,
  JOIN_PATH,
  RUN_PATH,
  RUN_CONFIG_PATH,
  MONITOR_PATH,
  MONITOR_FEED_PATH,
  ROOT_PATH,
} from './paths.ts'
export {
  CLOSE_NORMAL,
  CLOSE_GOING_AWAY,
  CLOSE_BAD_FRAME,
  CLOSE_INVALID_PAYLOAD,
  CLOSE_CUT,
  CLOSE_PROTOCOL_ERROR,
  CLOSE_MESSAGE_TOO_BIG,
  CLOSE_INTERNAL_ERROR,
  CLOSE_ROOT_LEFT,
  CLOSE_TRY_AGAIN_LATER,
  CLOSE_RECONNECT,
  CLOSE_DISCREDITED,
  CLOSE_EXCLUDED,
  CLOSE_RUN_FINISHED,
  RUN_FINISHED_REASON,
  NO_RUN_REASON,
  RUN_ENDED_REASON,
  MAX_CLOSE_REASON_BYTES,
  fitCloseReason,
} from './close-codes.ts'
export { reconnectDelay } from './reconnect-backoff.ts'
export { withPageToken } from './access-token.ts'
export { nestsDeeperThan, parseJsonText } from './json-text.ts'
export {
  ITEM_TIMEOUT_ERROR,
  TRANSPORT_LIMIT_ERROR,
  RESULT_TOO_LARGE_ERROR,
  WORKER_CRASH_ERROR,
  DISAGREEMENT_ERROR,
  WIRE_ERROR_NAMES,
  type WireErrorName,
} from './wire-errors.ts'
export {
  ClosedError,
  HeartbeatTimeoutError,
  InvariantError,
  NotOpenError,
  MessageTooLargeError,
  ModuleContractError,
  ProtocolError,
  isProtocolError,
  RemoteError,
  itemTimeoutError,
  serializeError,
  transportLimitError,
} from './errors.ts'
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
  type VolunteerHeartbeat,
  MAX_VOLUNTEER_MESSAGE_CHARS,
  type VolunteerConfig,
  type RootToVolunteer,
  type VolunteerToRoot,
} from './volunteer-messages.ts'
export { parseVolunteerMessage, parseRootMessage } from './validate.ts'
export { browserMark } from './browser-mark.ts'
export { type RecallMessage, type ReturnMessage } from './give-back.ts'
export { CPU_LIMITS, cpuLimit, tabWorkers } from './tab-settings.ts'
export {
  ROOT_ID,
  RunningStatistics,
  statisticsOf,
  combineReports,
  withoutStaleReports,
  treeOfReports,
  toOriginalMonitoringStatus,
  type Statistics,
  type Transport,
  type VolunteerReport,
  type VolunteerStanding,
  type TreeEdge,
  type MonitorStatus,
  type MonitorMessage,
  type OriginalStatistics,
  type OriginalSummedStatistics,
  type OriginalPerformance,
  type OriginalVolunteerStatus,
  type OriginalRootStatus,
  type OriginalMonitoringStatus,
} from './monitoring.ts'
export {
  parseMonitorMessage,
  parseVolunteerReport,
  checkVolunteerReport,
  checkMonitorMessage,
} from './monitoring-validate.ts'
export { type BrowserMarkMessage, type TreeWorkMessage } from './tree-messages.ts'
export {
  TREE_CHUNK_CHARS,
  MAX_TREE_CHUNKED_MESSAGE_CHARS,
  MAX_TREE_CHUNKS,
  TreeFrameAssembler,
  toTreeFrames,
} from './tree-chunks.ts'
export { type JoinerSignal, type RelayToJoiner } from './join-messages.ts'
export { parseTreeWorkMessage, parseJoinerSignal, checkRelayToJoiner } from './tree-validate.ts'
export {
  toWire,
  WIRE_ENVELOPE_CHARS,
  WIRE_ITEM_FRAME_CHARS,
  type JobsOnWire,
  type OutcomesOnWire,
} from './work-wire.ts'
export { RUN_CONFIG_FILENAME, type IceServer, type RunConfig } from './run-config.ts'
export { LABEL_SEPARATOR, browserDeviceName, isBrowserDeviceName, volunteerLabel } from './volunteer-label.ts'
export { checkRunProgress, type RunProgress } from './run-progress.ts'
export {
  ROOT_LINK_VERSION,
  isRunFileName,
  parseRootToServer,
  parseServerToRoot,
  type RunFile,
  type RootLinkJoinSignal,
  type RootToServer,
  type ServerToRoot,
} from './root-link.ts'
export { ItemTimeoutRule, type ItemTimeout } from './item-timeout-rule.ts'
