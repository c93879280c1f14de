// Arbitraries for the fuzz tests of every inbound channel: JSON that a hostile peer could send (keys such
// as `__proto__` and `toString`, numbers JSON allows but code may trip on), messages that look valid with a
// field or two wrong, and the valid messages they are made from. The parsers must take any of them.
import { toWire, type Job, type Outcome } from '@pando/protocol'
import fc from 'fast-check'

/** Every message type of every channel, so random messages often carry a type some parser knows. */
export const MESSAGE_TYPES = [
  'hello',
  'outcomes',
  'status',
  'jobs',
  'recall',
  'return',
  'welcome',
  'error',
  'progress',
  'finished',
  'join',
  'answer',
  'rejected',
  'run-files',
  'to-joiner',
  'volunteer-send',
  'volunteer-close',
  'volunteer-open',
  'volunteer-message',
  'ready',
  'join-signal',
  'answer-signal',
  'join-rejected',
  'subtree-report',
  'position',
  'heartbeat',
] as const

/** Keys that trip code which treats parsed JSON as an ordinary object, and the protocol's own field names. */
const KEYS = [
  'type',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'valueOf',
  'toJSON',
  'hasOwnProperty',
  'length',
  'id',
  'ok',
  'result',
  'error',
  'outcomes',
  'jobs',
  'report',
  'reports',
  'signal',
  'seq',
  'weight',
  'origin',
  'secret',
  'version',
  'connection',
  'code',
  'reason',
  'data',
  'files',
  'status',
] as const

/** Numbers JSON can carry that are not what a field wants: huge, negative, fractional, -0, unsafe. */
const awkwardNumber: fc.Arbitrary<number> = fc.oneof(
  fc.integer({ min: -3, max: 1_000 }),
  fc.constantFrom(
    -0,
    0.5,
    -1,
    2 ** 52,
    Number.MAX_SAFE_INTEGER,
    2 ** 53,
    2 ** 53 + 2,
    -(2 ** 53),
    1e308,
    -1e308,
    5e-324,
    1e21,
  ),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
)

const leafText: fc.Arbitrary<string> = fc.oneof(
  fc.constant('null'),
  fc.boolean().map(String),
  awkwardNumber.map((n) => JSON.stringify(n)),
  fc.constantFrom(...MESSAGE_TYPES).map((type) => JSON.stringify(type)),
  fc.string({ unit: 'binary', maxLength: 20 }).map((s) => JSON.stringify(s)),
  // Long enough that quoting it in a reason overflows a close frame's 123 bytes.
  fc.string({ unit: 'binary', minLength: 30, maxLength: 60 }).map((s) => JSON.stringify(s)),
)

const keyText: fc.Arbitrary<string> = fc
  .oneof(fc.constantFrom(...KEYS), fc.string({ maxLength: 8 }))
  .map((key) => JSON.stringify(key))

/**
 * JSON text, written out by hand so that keys such as `__proto__` reach the parser as JSON would carry
 * them (an object literal would turn them into a prototype). Objects often have a `type` of some channel.
 */
export const jsonText: fc.Arbitrary<string> = fc.letrec<{ value: string; array: string; object: string }>(
  (tie) => ({
    value: fc.oneof({ depthSize: 'small' }, leafText, tie('array'), tie('object')),
    array: fc.array(tie('value'), { maxLength: 5 }).map((items) => `[${items.join(',')}]`),
    object: fc
      .tuple(
        fc.option(leafText, { nil: undefined }),
        fc.array(fc.tuple(keyText, tie('value')), { maxLength: 6 }),
      )
      .map(([type, entries]) => {
        const members = entries.map(([key, value]) => `${key}:${value}`)
        if (type !== undefined) members.unshift(`"type":${type}`)
        return `{${members.join(',')}}`
      }),
  }),
).value

/** A value parsed from {@link jsonText}: what a data channel hands over. */
export const jsonValue: fc.Arbitrary<unknown> = jsonText.map((text) => JSON.parse(text) as unknown)

/** Text that is mostly not JSON: any UTF-16 (lone surrogates too), or JSON cut short or padded. */
export const garbageText: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.string({ unit: 'binary-ascii', maxLength: 60 }),
  jsonText.chain((text) =>
    fc.nat({ max: text.length }).map((cut) => (cut === text.length ? `${text}}` : text.slice(0, cut))),
  ),
)

/** `valid`, with up to three of its own fields replaced by random JSON or dropped: nearly a message. */
export function mutated<T extends object>(valid: fc.Arbitrary<T>): fc.Arbitrary<Record<string, unknown>> {
  const edit = fc.tuple(fc.nat(), fc.option(jsonValue, { nil: undefined, freq: 4 }))
  return fc.tuple(valid, fc.array(edit, { minLength: 1, maxLength: 3 })).map(([message, edits]) => {
    const copy: Record<string, unknown> = { ...(message as Record<string, unknown>) }
    const keys = Object.keys(copy)
    for (const [index, replacement] of edits) {
      const key = keys[index % keys.length] ?? 'type'
      if (replacement === undefined) delete copy[key]
      else copy[key] = replacement
    }
    return copy
  })
}

/** Mostly `valid`, sometimes {@link mutated}. */
export function nearly<T extends object>(valid: fc.Arbitrary<T>): fc.Arbitrary<T | Record<string, unknown>> {
  return fc.oneof({ arbitrary: valid, weight: 3 }, { arbitrary: mutated(valid), weight: 1 })
}

const id = fc.string({ minLength: 1, maxLength: 12 })
const finite = fc.double({ min: 0, max: 1e6, noNaN: true })
const count = fc.nat({ max: 1_000 })

/** Statistics as a report carries them. */
export const statistics = fc.record({
  average: finite,
  standardDeviation: finite,
  maximum: finite,
  minimum: finite,
})

/** A valid volunteer report: what a page sends in `status`, and a tree child in its `reports`. */
export const volunteerReport = fc.record({
  id,
  deviceName: fc.string({ maxLength: 20 }),
  timestamp: fc.nat(),
  lastReportInterval: finite,
  nbItems: finite,
  units: fc.string({ maxLength: 10 }),
  cpuTime: finite,
  dataTransferTime: finite,
  throughput: finite,
  cpuUsage: finite,
  dataTransferLoad: finite,
  throughputStats: statistics,
  cpuUsageStats: statistics,
  dataTransferStats: statistics,
  depth: fc.integer({ min: 1, max: 20 }),
  parent: fc.option(id, { nil: null }),
  children: count,
  transport: fc.constantFrom('webrtc', 'websocket'),
  inFlight: count,
  processed: count,
  failures: count,
})

/** A valid outcome for an item id drawn from `ids`. */
export function outcome(ids: fc.Arbitrary<number> = fc.nat()): fc.Arbitrary<Record<string, unknown>> {
  return fc.oneof(
    fc.record({ id: ids, ok: fc.constant(true), result: fc.string({ maxLength: 12 }) }),
    fc.record({
      id: ids,
      ok: fc.constant(false),
      error: fc.record(
        { name: fc.string({ maxLength: 8 }), message: fc.string({ maxLength: 20 }), stack: fc.string() },
        { requiredKeys: ['name', 'message'] },
      ),
    }),
  )
}

/** A valid `outcomes` message as it travels (see `toWire`), for item ids drawn from `ids`. */
export function outcomesMessage(
  ids: fc.Arbitrary<number> = fc.nat(),
  maxLength = 4,
): fc.Arbitrary<Record<string, unknown>> {
  return fc
    .array(outcome(ids), { maxLength })
    .map(
      (outcomes) =>
        toWire({ type: 'outcomes', outcomes: outcomes as unknown as Outcome[] }) as Record<string, unknown>,
    )
}

/** A valid `jobs` message as it travels. */
export const jobsMessage = fc
  .array(fc.record({ id: fc.nat(), value: fc.string() }), { maxLength: 3 })
  .map((jobs: Job[]) => toWire({ type: 'jobs', jobs }) as Record<string, unknown>)

/** A valid dashboard status. */
export const monitorStatus = fc.record({
  type: fc.constant('status'),
  timestamp: fc.nat(),
  run: fc.record({ startedAt: fc.nat(), elapsedMs: fc.nat(), itemsTotal: fc.option(count, { nil: null }) }),
  totals: fc.record({
    read: count,
    done: count,
    inFlight: count,
    relent: count,
    failed: count,
    volunteers: count,
    rate: finite,
    averageRate: finite,
  }),
  volunteers: fc.array(nearly(volunteerReport), { maxLength: 2 }),
  tree: fc.array(fc.record({ id, parent: fc.option(id, { nil: null }) }), { maxLength: 3 }),
})

/** Messages a volunteer page sends on `/volunteer`, nearly valid (field by field). */
export const volunteerMessage = fc.oneof(
  nearly(fc.record({ type: fc.constant('hello'), protocolVersion: fc.constant(1), deviceName: id })),
  nearly(outcomesMessage()),
  nearly(fc.record({ type: fc.constant('status'), report: nearly(volunteerReport) })),
)

/** Work messages a tree child sends its parent, nearly valid. */
/** The run's progress, as the root sends it down every link. */
export const progressMessage = fc.record({
  type: fc.constant('progress'),
  done: fc.nat(),
  total: fc.option(fc.nat(), { nil: null }),
})

export const treeWorkMessage = fc.oneof(
  nearly(outcomesMessage()),
  nearly(progressMessage),
  fc.constant({ type: 'finished' }),
  nearly(
    fc.record({ type: fc.constant('status'), reports: fc.array(nearly(volunteerReport), { maxLength: 3 }) }),
  ),
  nearly(jobsMessage),
)

/** An ICE candidate or SDP, roughly as simple-peer gives them. */
export const signal = fc.oneof(
  fc.record({ type: fc.constantFrom('offer', 'answer'), sdp: fc.string({ maxLength: 40 }) }),
  fc.record({
    type: fc.constant('candidate'),
    candidate: fc.record({ candidate: fc.string({ maxLength: 40 }), sdpMid: fc.constant('0') }),
  }),
)

/** What a joiner sends the relay on `/join`, nearly valid. */
export const joinerSignal = nearly(
  fc.record({
    type: fc.constant('join'),
    seq: fc.nat({ max: 70 }),
    weight: fc.integer({ min: 1, max: 50 }),
    signal,
  }),
)

/** A joiner's signal as a parent passes it on towards the root (and the server to a root), nearly valid. */
const joinSignal = nearly(
  fc.record({
    type: fc.constant('join-signal'),
    origin: id,
    seq: fc.nat({ max: 5 }),
    weight: fc.integer({ min: 1, max: 5 }),
    signal,
  }),
)

/** A heartbeat of any link (a tree link, a volunteer's, the root link), nearly valid. */
const heartbeat = nearly(
  fc.oneof(
    fc.record({ type: fc.constant('heartbeat') }),
    fc.record({ type: fc.constant('heartbeat'), sentAt: finite }),
    fc.record({ type: fc.constant('heartbeat'), sentAt: finite, echo: finite, heldMs: finite }),
  ),
)

/** The overlay's control messages, nearly valid. */
export const controlMessage = fc.oneof(
  joinSignal,
  nearly(fc.record({ type: fc.constant('answer-signal'), origin: id, signal })),
  nearly(fc.record({ type: fc.constant('join-rejected'), origin: id, reason: fc.string() })),
  nearly(
    fc.record({
      type: fc.constant('subtree-report'),
      id,
      size: fc.integer({ min: 1, max: 9 }),
      pending: count,
      workers: count,
      received: count,
    }),
  ),
  nearly(fc.record({ type: fc.constant('position'), parent: id, depth: fc.integer({ min: 1, max: 40 }) })),
  nearly(
    fc.record({ type: fc.constant('close-tab'), id: fc.oneof(id, fc.constant('n')), reason: fc.string() }),
  ),
  heartbeat,
)

const runFile = fc.record({
  name: fc.oneof(
    fc.constantFrom('config.json', 'bundle.js', '../x', '.env', ''),
    fc.string({ maxLength: 8 }),
  ),
  content: fc.string({ maxLength: 30 }),
})

/** What a root sends `pando-server` on `/root`, nearly valid; `secret` is what its hellos give. */
export function rootToServer(secret: fc.Arbitrary<string>): fc.Arbitrary<Record<string, unknown>> {
  const connection = fc.integer({ min: 0, max: 5 })
  return fc.oneof(
    nearly(fc.record({ type: fc.constant('hello'), version: fc.constantFrom(1, 0, 2), secret })),
    nearly(
      fc.record({
        type: fc.constant('run-files'),
        files: fc
          .array(nearly(runFile), { maxLength: 3 })
          .map((files) => [{ name: 'config.json', content: '{}' }, ...files]),
      }),
    ),
    nearly(
      fc.record({
        type: fc.constant('to-joiner'),
        origin: id,
        message: nearly(
          fc.oneof(
            fc.record({ type: fc.constant('answer'), signal }),
            fc.record({ type: fc.constant('rejected'), reason: fc.string() }),
          ),
        ),
      }),
    ),
    nearly(fc.record({ type: fc.constant('volunteer-send'), connection, data: fc.string() })),
    nearly(
      fc.record({
        type: fc.constant('volunteer-close'),
        connection,
        code: fc.constantFrom(1000, 1006, 1008, 4000, 999),
        reason: fc.string(),
      }),
    ),
    nearly(fc.record({ type: fc.constant('status'), status: nearly(monitorStatus) })),
    heartbeat,
  )
}

/** What `pando-server` sends a root, nearly valid. */
export const serverToRoot = fc.oneof(
  nearly(
    fc.record({
      type: fc.constant('welcome'),
      urls: fc.array(fc.webUrl(), { maxLength: 2 }),
      dashboardUrls: fc.array(fc.webUrl(), { maxLength: 2 }),
      heartbeatMs: fc.integer({ min: 0, max: 5_000 }),
    }),
  ),
  nearly(fc.record({ type: fc.constant('ready') })),
  nearly(fc.record({ type: fc.constant('error'), reason: fc.string() })),
  joinSignal,
  nearly(fc.record({ type: fc.constant('volunteer-open'), connection: fc.nat({ max: 5 }) })),
  nearly(
    fc.record({ type: fc.constant('volunteer-message'), connection: fc.nat({ max: 5 }), data: fc.string() }),
  ),
  nearly(
    fc.record({
      type: fc.constant('volunteer-close'),
      connection: fc.nat({ max: 5 }),
      code: fc.constantFrom(1000, 1005, 1006, 999),
      reason: fc.string(),
    }),
  ),
  heartbeat,
)

/**
 * Any text a hostile peer might send on a JSON channel: raw garbage, arbitrary JSON, or one of `messages`
 * (nearly valid), serialised.
 */
export function anyText(messages: fc.Arbitrary<unknown>): fc.Arbitrary<string> {
  return fc.oneof(
    { arbitrary: garbageText, weight: 1 },
    { arbitrary: jsonText, weight: 2 },
    { arbitrary: messages.map((message) => JSON.stringify(message)), weight: 4 },
  )
}
