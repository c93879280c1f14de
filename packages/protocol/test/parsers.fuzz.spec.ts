// Fuzz tests of every parser of an inbound channel: whatever text (or parsed JSON) a peer sends, a parser
// either returns a well-typed message, which parses again to itself, or throws a ProtocolError; never
// anything else (a TypeError would escape the handlers that close a peer with a reason).
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  anyText,
  controlMessage,
  jsonText,
  jsonValue,
  joinerSignal,
  monitorStatus,
  nearly,
  rootToServer,
  serverToRoot,
  treeWorkMessage,
  volunteerMessage,
  volunteerReport,
} from '../../../test/support/fuzz-arbitraries.ts'
import {
  ProtocolError,
  parseJoinerSignal,
  parseMonitorMessage,
  parseRootMessage,
  parseRootToServer,
  parseServerToRoot,
  parseTreeWorkMessage,
  toWire,
  parseVolunteerMessage,
  parseVolunteerReport,
} from '../src/index.ts'

/** Inputs per parser and kind of input. */
const RUNS = 2_000

// A small schema language, to say what a parsed message must look like: exactly these fields, these types.
type Check = (value: unknown) => boolean
const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
const str: Check = (value) => typeof value === 'string'
const shortStr =
  (max: number): Check =>
  (value) =>
    typeof value === 'string' && value.length <= max
const idStr: Check = (value) => typeof value === 'string' && value.length >= 1 && value.length <= 64
const int =
  (min = 0, max = Number.MAX_SAFE_INTEGER): Check =>
  (value) =>
    Number.isSafeInteger(value) && (value as number) >= min && (value as number) <= max
const finite =
  (min = 0): Check =>
  (value) =>
    typeof value === 'number' && Number.isFinite(value) && value >= min
const lit =
  (expected: unknown): Check =>
  (value) =>
    value === expected
const opt =
  (check: Check): Check =>
  (value) =>
    value === undefined || check(value)
const arr =
  (check: Check): Check =>
  (value) =>
    Array.isArray(value) && value.every(check)
const oneOf =
  (...checks: Check[]): Check =>
  (value) =>
    checks.some((check) => check(value))
const nonNull: Check = (value) => typeof value === 'object' && value !== null
/** Exactly these fields (optional ones may be missing), each passing its check. */
const shape =
  (fields: Record<string, Check>): Check =>
  (value) =>
    isRecord(value) &&
    Object.keys(value).every((key) => Object.hasOwn(fields, key)) &&
    Object.entries(fields).every(([key, check]) => check(value[key]))

const stats = shape({
  average: finite(-Infinity),
  standardDeviation: finite(),
  maximum: finite(-Infinity),
  minimum: finite(-Infinity),
})
const report = shape({
  id: idStr,
  deviceName: shortStr(100),
  timestamp: finite(),
  lastReportInterval: finite(),
  nbItems: finite(),
  units: shortStr(40),
  cpuTime: finite(),
  dataTransferTime: finite(),
  throughput: finite(),
  cpuUsage: finite(),
  dataTransferLoad: finite(),
  throughputStats: stats,
  cpuUsageStats: stats,
  dataTransferStats: stats,
  depth: int(1),
  parent: oneOf(lit(null), idStr),
  children: int(),
  transport: oneOf(lit('webrtc'), lit('websocket')),
  inFlight: int(),
  processed: int(),
  failures: int(),
  workers: opt(int(1, 64)),
  cpuLimit: opt((value) => typeof value === 'number' && value > 0 && value <= 100),
  paused: opt((value) => typeof value === 'boolean'),
})
const outcome = oneOf(
  shape({ id: int(), ok: lit(true), result: str }),
  shape({ id: int(), ok: lit(false), error: shape({ name: str, message: str, stack: opt(str) }) }),
)
const outcomes = shape({ type: lit('outcomes'), outcomes: arr(outcome), msPerItem: opt(finite()) })
// Stealing (protocol SPEC 9a): a lender asks for items back, a borrower gives back ids (maybe none).
const recall = shape({ type: lit('recall'), count: int(1) })
const giveBack = shape({ type: lit('return'), ids: arr(int()) })
const job = shape({ id: int(), value: str })
const monitor = shape({
  type: lit('status'),
  timestamp: finite(),
  run: shape({ startedAt: finite(), elapsedMs: finite(), itemsTotal: oneOf(lit(null), int()) }),
  totals: shape({
    read: int(),
    done: int(),
    inFlight: int(),
    relent: int(),
    failed: int(),
    volunteers: int(),
    rate: finite(),
    averageRate: finite(),
  }),
  volunteers: arr(report),
  tree: arr(shape({ id: idStr, parent: oneOf(lit(null), idStr) })),
})
const closeFields = { connection: int(1), code: int(1000, 4999), reason: shortStr(123) }
// A heartbeat of any link (a volunteer's, the root link), either way: times ≥ 0, `echo` and `heldMs` both or neither.
const heartbeat = oneOf(
  shape({ type: lit('heartbeat'), sentAt: opt(finite(0)) }),
  shape({ type: lit('heartbeat'), sentAt: opt(finite(0)), echo: finite(0), heldMs: finite(0) }),
)

const VOLUNTEER_TO_ROOT = oneOf(
  shape({
    type: lit('hello'),
    protocolVersion: (value) => typeof value === 'number',
    deviceName: shortStr(100),
    workers: opt(int(1, 64)),
  }),
  outcomes,
  shape({ type: lit('status'), report }),
  heartbeat,
  giveBack,
)
const progress = shape({ type: lit('progress'), done: int(), total: oneOf(int(), lit(null)) })
const ROOT_TO_VOLUNTEER = oneOf(
  shape({ type: lit('welcome'), volunteerId: str, config: shape({ bundleUrl: str, moduleName: str }) }),
  shape({ type: lit('jobs'), jobs: arr(job) }),
  progress,
  shape({ type: lit('error'), reason: str }),
  recall,
  heartbeat,
)
const TREE_WORK = oneOf(
  shape({ type: lit('jobs'), jobs: arr(job) }),
  outcomes,
  shape({ type: lit('status'), reports: arr(report) }),
  progress,
  shape({ type: lit('finished') }),
  recall,
  giveBack,
)
const JOINER_SIGNAL = shape({ type: lit('join'), seq: int(), weight: int(1), signal: nonNull })
const ROOT_TO_SERVER = oneOf(
  shape({ type: lit('hello'), version: int(), secret: shortStr(1024) }),
  shape({ type: lit('run-files'), files: arr(shape({ name: shortStr(100), content: str })) }),
  shape({
    type: lit('to-joiner'),
    origin: idStr,
    message: oneOf(
      shape({ type: lit('answer'), signal: nonNull }),
      shape({ type: lit('rejected'), reason: shortStr(200) }),
    ),
  }),
  shape({ type: lit('volunteer-send'), connection: int(1), data: str }),
  shape({ type: lit('volunteer-close'), ...closeFields }),
  shape({ type: lit('status'), status: monitor }),
  heartbeat,
)
const SERVER_TO_ROOT = oneOf(
  shape({ type: lit('welcome'), urls: arr(str), dashboardUrls: arr(str), heartbeatMs: int(1) }),
  shape({ type: lit('ready') }),
  shape({ type: lit('error'), reason: str }),
  shape({ type: lit('join-signal'), origin: idStr, seq: int(), weight: int(1), signal: nonNull }),
  shape({ type: lit('volunteer-open'), connection: int(1) }),
  shape({ type: lit('volunteer-message'), connection: int(1), data: str }),
  shape({ type: lit('volunteer-close'), ...closeFields }),
  heartbeat,
)

/**
 * Runs `parse`: returns what it returned, or `undefined` when it threw a ProtocolError; anything else it
 * throws fails the test.
 */
function attempt<T>(parse: () => T): { readonly value: T } | undefined {
  try {
    return { value: parse() }
  } catch (error) {
    if (error instanceof ProtocolError) return undefined
    throw new Error(`threw ${String(error)} instead of a ProtocolError`, { cause: error })
  }
}

/** Checks a text parser on `inputs`: a ProtocolError, or a value that fits `check` and parses to itself. */
function fuzzText(parse: (text: string) => unknown, check: Check, inputs: fc.Arbitrary<string>): number {
  let accepted = 0
  fc.assert(
    fc.property(inputs, (text) => {
      const parsed = attempt(() => parse(text))
      if (parsed === undefined) return
      accepted++
      expect(check(parsed.value), JSON.stringify(parsed.value)).toBe(true)
      // What it gives goes back on the wire as it came (jobs and outcomes in columns) and parses the same.
      expect(parse(JSON.stringify(toWire(parsed.value as { type: string })))).toEqual(parsed.value)
    }),
    { numRuns: RUNS },
  )
  return accepted
}

const everyChannel = fc.oneof(
  volunteerMessage,
  treeWorkMessage,
  joinerSignal,
  controlMessage,
  rootToServer(fc.string()),
  serverToRoot,
  monitorStatus,
)

describe('the parsers of inbound messages, fuzzed', () => {
  it.each([
    ['parseVolunteerMessage', parseVolunteerMessage, VOLUNTEER_TO_ROOT, volunteerMessage],
    ['parseRootMessage', parseRootMessage, ROOT_TO_VOLUNTEER, treeWorkMessage],
    ['parseJoinerSignal', parseJoinerSignal, JOINER_SIGNAL, joinerSignal],
    ['parseMonitorMessage', parseMonitorMessage, monitor, monitorStatus],
    ['parseVolunteerReport', parseVolunteerReport, report, nearly(volunteerReport)],
    ['parseRootToServer', parseRootToServer, ROOT_TO_SERVER, rootToServer(fc.string())],
    ['parseServerToRoot', parseServerToRoot, SERVER_TO_ROOT, serverToRoot],
  ] as const)(
    '%s returns a well-typed message or throws a ProtocolError, whatever the text',
    (_, parse, check, own) => {
      const accepted = fuzzText(parse, check, anyText(fc.oneof({ arbitrary: own, weight: 3 }, everyChannel)))
      // The nearly valid messages are there to reach past the first check: many must get through.
      expect(accepted).toBeGreaterThan(RUNS / 20)
    },
  )

  it('throws a ProtocolError for a message of a type given as an object whose toString is not a function', () => {
    for (const text of ['{"type":{"toString":1}}', '{"type":[{"valueOf":null,"toString":null}]}']) {
      for (const parse of [
        parseRootToServer,
        parseServerToRoot,
        parseMonitorMessage,
        parseVolunteerMessage,
      ]) {
        expect(() => parse(text)).toThrow(ProtocolError)
      }
    }
  })

  it('refuses any text longer than the size limit, before parsing it', () => {
    const parsers = [
      parseVolunteerMessage,
      parseRootMessage,
      parseJoinerSignal,
      parseMonitorMessage,
      parseVolunteerReport,
      parseRootToServer,
      parseServerToRoot,
    ]
    fc.assert(
      fc.property(jsonText, fc.nat({ max: 40 }), (text, maxBytes) => {
        fc.pre(text.length > maxBytes)
        for (const parse of parsers) expect(() => parse(text, maxBytes)).toThrow(/message too large/)
      }),
      { numRuns: RUNS },
    )
  })

  it('parseTreeWorkMessage returns a work message, undefined for another type, or throws a ProtocolError', () => {
    let accepted = 0
    const inputs = fc.oneof(
      { arbitrary: jsonValue, weight: 1 },
      { arbitrary: fc.oneof(treeWorkMessage, controlMessage), weight: 3 },
    )
    fc.assert(
      fc.property(inputs, (value) => {
        const parsed = attempt(() => parseTreeWorkMessage(value))
        if (parsed === undefined || parsed.value === undefined) return
        accepted++
        expect(TREE_WORK(parsed.value), JSON.stringify(parsed.value)).toBe(true)
        const again = JSON.parse(JSON.stringify(toWire(parsed.value as { type: string }))) as unknown
        expect(parseTreeWorkMessage(again)).toEqual(parsed.value)
      }),
      { numRuns: RUNS },
    )
    expect(accepted).toBeGreaterThan(RUNS / 20)
  })
})
