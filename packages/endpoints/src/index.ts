/**
 * @packageDocumentation
 * The root's endpoints: what a `pando` root needs to accept volunteers over each transport. The WebRTC
 * tree's root ({@link startTreeRoot}, over node-datachannel), a volunteer on a WebSocket, real or tunnelled
 * ({@link serveVolunteer}), and the link to a remote `pando-server` ({@link connectRemoteServer}). The program
 * that runs them gives them where to report ({@link ReportSink}, {@link Roster}, an
 * {@link InternalErrorReporter}): they print nothing.
 */
export { BrowserMarks, type Admission } from './browser-marks.ts'
export { RemoteServerError, type RemoteServerFailure } from './errors.ts'
export { isLoopbackName, loopbackLookup } from './loopback-lookup.ts'
export { nodeIceServers, type IceServerEntry } from './node-ice-servers.ts'
export { nodeWrtc } from './node-wrtc.ts'
export {
  connectRemoteServer,
  readRunFiles,
  type RemoteServer,
  type RemoteServerOptions,
  type ServerAddress,
} from './remote-server.ts'
export type { InternalErrorReporter, NamedVolunteer, ReportSink, Roster } from './root-components.ts'
export {
  ROOT_FAILED_REASON,
  serveVolunteer,
  type ServedVolunteer,
  type ServeVolunteerOptions,
} from './serve-volunteer.ts'
export { startTreeRoot, type RelayedJoinSignal, type TreeRoot, type TreeRootOptions } from './tree-root.ts'
export { VolunteerChannel } from './volunteer-channel.ts'
export { wsVolunteerSocket, type VolunteerSocket } from './volunteer-socket.ts'
