import {
  type MonitorMessage,
  type Statistics,
  type TreeEdge,
  type VolunteerReport,
  type VolunteerStanding,
} from './monitoring.ts'
import { ProtocolError } from './errors.ts'
import { isRecord, type Json } from './envelope.ts'
import { parseJsonText } from './json-text.ts'
import { cpuLimit, tabWorkers } from './tab-settings.ts'
import {
  MAX_DEVICE_NAME_LENGTH,
  MAX_MONITORED_ID_LENGTH,
  MAX_EXCLUSION_REASON_LENGTH,
  MAX_UNITS_LENGTH,
  MAX_MONITOR_MESSAGE_BYTES,
  MAX_VOLUNTEER_REPORT_BYTES,
  MAX_MONITORED_VOLUNTEERS,
} from './constants.ts'

function record(value: unknown, what: string): Json {
  if (!isRecord(value)) throw new ProtocolError(`${what} is not an object`)
  return value
}

/** A finite number, at least `minimum`. */
function number(value: unknown, what: string, minimum = 0): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < minimum) {
    throw new ProtocolError(`${what} is not a number >= ${minimum}`)
  }
  return value
}

/** A whole number, at least `minimum`. */
function count(value: unknown, what: string, minimum = 0): number {
  if (!Number.isSafeInteger(value)) throw new ProtocolError(`${what} is not a whole number`)
  return number(value, what, minimum)
}

function id(value: unknown, what: string): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_MONITORED_ID_LENGTH) {
    throw new ProtocolError(`${what} is not an id`)
  }
  return value
}

function text(value: unknown, what: string, maxLength: number): string {
  if (typeof value !== 'string') throw new ProtocolError(`${what} is not a string`)
  return value.slice(0, maxLength)
}

function list(value: unknown, what: string): unknown[] {
  if (!Array.isArray(value)) throw new ProtocolError(`${what} is not an array`)
  if (value.length > MAX_MONITORED_VOLUNTEERS) throw new ProtocolError(`${what} has too many entries`)
  return value
}

function statistics(value: unknown, what: string): Statistics {
  const stats = record(value, what)
  return {
    average: number(stats.average, `${what}.average`, -Infinity),
    standardDeviation: number(stats.standardDeviation, `${what}.standardDeviation`),
    maximum: number(stats.maximum, `${what}.maximum`, -Infinity),
    minimum: number(stats.minimum, `${what}.minimum`, -Infinity),
  }
}

/** A report's `paused`: a boolean. */
function paused(value: unknown): boolean {
  if (typeof value !== 'boolean') throw new ProtocolError('report.paused is not a boolean')
  return value
}

/** Validates a report already parsed from JSON (e.g. inside another message). @throws {ProtocolError} */
export function checkVolunteerReport(value: unknown): VolunteerReport {
  const r = record(value, 'report')
  if (r.transport !== 'webrtc' && r.transport !== 'websocket') {
    throw new ProtocolError('report.transport is not webrtc or websocket')
  }
  return {
    id: id(r.id, 'report.id'),
    deviceName: text(r.deviceName, 'report.deviceName', MAX_DEVICE_NAME_LENGTH),
    timestamp: number(r.timestamp, 'report.timestamp'),
    lastReportInterval: number(r.lastReportInterval, 'report.lastReportInterval'),
    nbItems: number(r.nbItems, 'report.nbItems'),
    units: text(r.units, 'report.units', MAX_UNITS_LENGTH),
    cpuTime: number(r.cpuTime, 'report.cpuTime'),
    dataTransferTime: number(r.dataTransferTime, 'report.dataTransferTime'),
    throughput: number(r.throughput, 'report.throughput'),
    cpuUsage: number(r.cpuUsage, 'report.cpuUsage'),
    dataTransferLoad: number(r.dataTransferLoad, 'report.dataTransferLoad'),
    throughputStats: statistics(r.throughputStats, 'report.throughputStats'),
    cpuUsageStats: statistics(r.cpuUsageStats, 'report.cpuUsageStats'),
    dataTransferStats: statistics(r.dataTransferStats, 'report.dataTransferStats'),
    depth: count(r.depth, 'report.depth', 1),
    parent: r.parent === null ? null : id(r.parent, 'report.parent'),
    children: count(r.children, 'report.children'),
    transport: r.transport,
    inFlight: count(r.inFlight, 'report.inFlight'),
    processed: count(r.processed, 'report.processed'),
    failures: count(r.failures, 'report.failures'),
    // What the tab offers: each checked when the page says it (an older page does not).
    ...(r.workers === undefined ? {} : { workers: tabWorkers(r.workers, 'report.workers') }),
    ...(r.cpuLimit === undefined ? {} : { cpuLimit: cpuLimit(r.cpuLimit, 'report.cpuLimit') }),
    ...(r.paused === undefined ? {} : { paused: paused(r.paused) }),
  }
}

/** Parses and validates one volunteer report. @throws {ProtocolError} */
export function parseVolunteerReport(data: string, maxBytes = MAX_VOLUNTEER_REPORT_BYTES): VolunteerReport {
  return checkVolunteerReport(parseJsonText(data, maxBytes))
}

function treeEdge(value: unknown): TreeEdge {
  const edge = record(value, 'tree edge')
  return { id: id(edge.id, 'tree edge id'), parent: edge.parent === null ? null : id(edge.parent, 'parent') }
}

/** Parses and validates a message of the dashboards' feed. @throws {ProtocolError} */
export function parseMonitorMessage(data: string, maxBytes = MAX_MONITOR_MESSAGE_BYTES): MonitorMessage {
  return checkMonitorMessage(parseJsonText(data, maxBytes))
}

/** Validates a feed message already parsed from JSON (e.g. inside a root-link message). @throws {ProtocolError} */
export function checkMonitorMessage(value: unknown): MonitorMessage {
  const message = record(value, 'message')
  // Not `String(message.type)`: parsed JSON may give it a `toString` that makes String() throw.
  if (typeof message.type !== 'string') throw new ProtocolError('message has no type')
  if (message.type !== 'status') {
    throw new ProtocolError(`unknown message type '${message.type.slice(0, 40)}'`)
  }
  const run = record(message.run, 'run')
  const totals = record(message.totals, 'totals')
  return {
    type: 'status',
    timestamp: number(message.timestamp, 'timestamp'),
    run: {
      startedAt: number(run.startedAt, 'run.startedAt'),
      elapsedMs: number(run.elapsedMs, 'run.elapsedMs'),
      itemsTotal: run.itemsTotal === null ? null : count(run.itemsTotal, 'run.itemsTotal'),
      ...(run.ended === true ? { ended: true as const } : {}),
    },
    totals: {
      read: count(totals.read, 'totals.read'),
      done: count(totals.done, 'totals.done'),
      inFlight: count(totals.inFlight, 'totals.inFlight'),
      relent: count(totals.relent, 'totals.relent'),
      failed: count(totals.failed, 'totals.failed'),
      volunteers: count(totals.volunteers, 'totals.volunteers'),
      rate: number(totals.rate, 'totals.rate'),
      averageRate: number(totals.averageRate, 'totals.averageRate'),
    },
    volunteers: list(message.volunteers, 'volunteers').map(checkVolunteerReport),
    tree: list(message.tree, 'tree').map(treeEdge),
    ...(message.standings === undefined
      ? {}
      : { standings: list(message.standings, 'standings').map(volunteerStanding) }),
  }
}

function volunteerStanding(value: unknown): VolunteerStanding {
  const standing = record(value, 'standing')
  if (typeof standing.trusted !== 'boolean') throw new ProtocolError('standing.trusted is not a boolean')
  return {
    id: id(standing.id, 'standing.id'),
    agreed: count(standing.agreed, 'standing.agreed'),
    outvoted: count(standing.outvoted, 'standing.outvoted'),
    caught: count(standing.caught, 'standing.caught'),
    failed: count(standing.failed, 'standing.failed'),
    timedOut: count(standing.timedOut, 'standing.timedOut'),
    trusted: standing.trusted,
    ...(standing.excluded === undefined
      ? {}
      : { excluded: text(standing.excluded, 'standing.excluded', MAX_EXCLUSION_REASON_LENGTH) }),
  }
}
