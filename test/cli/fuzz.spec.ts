// Fuzz test of the root through the real CLI: while `pando --no-start-idle` squares a few thousand items,
// hostile peers hammer every inbound channel of its server with messages drawn by fast-check:
// - volunteers on `/volunteer`: outcomes for ids they never held, duplicates with forged results, forged
//   status reports, then a bad message (garbage, JSON of the wrong shape, a binary frame, bytes that are not
//   UTF-8, a second hello, a message over the size limit…) followed by forged results for what they hold;
// - joiners on `/join`: garbage, too many signals, offers the root cannot use, a flood of attempts;
// - dashboard viewers on `/monitor/feed`, which may send nothing.
// The root must not crash, write exactly the squares in order and exit 0, and must have closed each peer
// with the reason. The seed is drawn anew each run and printed on failure; PANDO_FUZZ_SEED replays one.
import { once } from 'node:events'
import {
  MAX_JSON_DEPTH,
  MAX_VOLUNTEER_HELLO_CHARS,
  MAX_VOLUNTEER_MESSAGE_BYTES,
  parseJoinerSignal,
  parseVolunteerMessage,
  toWire,
} from '@pando/protocol'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import { FakeVolunteer } from '../support/fake-volunteer.ts'
import {
  garbageText,
  jsonText,
  joinerSignal,
  outcome,
  volunteerMessage,
  volunteerReport,
} from '../support/fuzz-arbitraries.ts'
import {
  seqLines,
  serverUrl,
  startPando,
  waitForServer,
  type PrintedServer,
} from '../../harness/pando-process.ts'

const SEED = Number(process.env['PANDO_FUZZ_SEED'] ?? Math.floor(Math.random() * 2 ** 31))
const ITEMS = 3_000
/** Items written once the peers are done, so that the run outlasts them. */
const LAST_ITEMS = 200
const VOLUNTEERS = 120
const JOINERS = 100
const VIEWERS = 80
/** Join attempts opened at once at the end, more than an address may hold open (200 by default). */
const FLOOD = 260
/** Peers of one kind at once. */
const CONCURRENCY = 6

interface Closed {
  readonly code: number
  readonly reason: string
}

/** What went wrong with a peer, for the final assertion: empty when each was closed as it should be. */
const problems: string[] = []
const check = (ok: boolean, what: () => string): void => {
  if (!ok) problems.push(what())
}

const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))
const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

/** Runs `tasks` with at most `limit` at once. */
async function pool(tasks: readonly (() => Promise<void>)[], limit: number): Promise<void> {
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < tasks.length) await tasks[next++]?.()
  }
  await Promise.all(Array.from({ length: limit }, worker))
}

/** A WebSocket of the test's own, with what it received and how it closed. */
interface Peer {
  readonly socket: WebSocket
  readonly received: unknown[]
  readonly closed: Promise<Closed>
}

async function connect(server: PrintedServer, path: string): Promise<Peer> {
  const socket = new WebSocket(serverUrl(server, path, 'ws'))
  socket.on('error', () => undefined)
  const received: unknown[] = []
  socket.on('message', (data, isBinary) => received.push(isBinary ? data : JSON.parse(String(data))))
  const closed = once(socket, 'close').then(([code, reason]) => ({
    code: code as number,
    reason: String(reason),
  }))
  await Promise.race([once(socket, 'open'), closed])
  return { socket, received, closed }
}

/** The ProtocolError message `parse` throws for `text`, or undefined when it takes it. */
function refusal(parse: (text: string) => unknown, text: string): string | undefined {
  try {
    parse(text)
    return undefined
  } catch (error) {
    return (error as Error).message
  }
}

/** One frame a hostile peer sends: text, a binary frame, or a text frame whose bytes are not UTF-8. */
type Frame =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'binary'; readonly bytes: Uint8Array }
  | { readonly kind: 'not-utf8'; readonly bytes: Uint8Array }

// Bytes that occur nowhere in UTF-8 (0x80, a continuation byte, would be valid after a lead byte).
const notUtf8 = fc
  .tuple(fc.uint8Array({ maxLength: 8 }), fc.constantFrom(0xff, 0xc0, 0xfe, 0xc1))
  .map(([bytes, bad]): Frame => ({ kind: 'not-utf8', bytes: Uint8Array.from([...bytes, bad, 0x41]) }))

function sendFrame(socket: WebSocket, frame: Frame): void {
  if (frame.kind === 'text') socket.send(frame.text)
  else socket.send(frame.bytes, { binary: frame.kind === 'binary' })
}

/** How a frame over `maxPayload` bytes closes its peer. */
const tooLarge = (maxPayload: number): Closed => ({
  code: 1009,
  reason: `message too large: the limit is ${maxPayload} bytes`,
})

/** How a peer's first bad frame must close it: the codes of frames ws refuses, or the reason. */
function expectedClose(frame: Frame, maxPayload: number, reasonFor: (text: string) => string): Closed {
  if (frame.kind === 'not-utf8') return { code: 1007, reason: 'invalid frame: text that is not UTF-8' }
  if (frame.kind === 'binary') return { code: 1008, reason: 'binary messages are not part of the protocol' }
  if (Buffer.byteLength(frame.text) > maxPayload) return tooLarge(maxPayload)
  return { code: 1008, reason: reasonFor(frame.text) }
}

/** Whether `closed` is what was expected: the code, and a reason cut to fit a close frame. */
function closedAs(closed: Closed, expected: Closed): boolean {
  return (
    closed.code === expected.code &&
    // A close frame carries its reason in UTF-8: a lone surrogate in it reads back as U+FFFD.
    (expected.reason === '' ||
      (closed.reason.length > 0 && Buffer.from(expected.reason).toString().startsWith(closed.reason)))
  )
}

// ---- /volunteer ------------------------------------------------------------------------------------

/** A message that keeps a volunteer connected, however hostile. */
type Chatter =
  | { readonly kind: 'stray'; readonly outcomes: Record<string, unknown>[] }
  | { readonly kind: 'status'; readonly report: Record<string, unknown> }
  | { readonly kind: 'answer'; readonly share: number }
  | { readonly kind: 'duplicate' }

/** How a volunteer session ends. */
type Ending =
  | { readonly kind: 'bad'; readonly frame: Frame }
  | { readonly kind: 'hello-twice' }
  | { readonly kind: 'oversized' }
  /** A frame of nested arrays, deeper than any message: refused before it is parsed. */
  | { readonly kind: 'nested'; readonly depth: number }
  | { readonly kind: 'leave' }

interface VolunteerSession {
  /** `big-hello`: a first frame larger than a hello may be (`MAX_VOLUNTEER_HELLO_CHARS`), refused unparsed. */
  readonly opening: 'hello' | 'none' | 'old-version' | 'big-hello'
  readonly chatter: readonly Chatter[]
  readonly ending: Ending
  /** Frames sent right after the ending, in the same tick: the root must ignore them all. */
  readonly after: readonly Frame[]
}

const badVolunteerText = fc
  .oneof(
    garbageText,
    jsonText,
    volunteerMessage.map((message) => JSON.stringify(message)),
  )
  .filter((text) => refusal(parseVolunteerMessage, text) !== undefined)

const anyFrame = (texts: fc.Arbitrary<string>): fc.Arbitrary<Frame> =>
  fc.oneof(
    { arbitrary: texts.map((text): Frame => ({ kind: 'text', text })), weight: 8 },
    {
      arbitrary: fc.uint8Array({ maxLength: 40 }).map((bytes): Frame => ({ kind: 'binary', bytes })),
      weight: 1,
    },
    { arbitrary: notUtf8, weight: 1 },
  )

const chatter: fc.Arbitrary<Chatter> = fc.oneof(
  fc.record({
    kind: fc.constant('stray'),
    // Ids past the input: no volunteer ever held them.
    outcomes: fc.array(outcome(fc.integer({ min: ITEMS, max: ITEMS + 1_000 })), {
      minLength: 1,
      maxLength: 4,
    }),
  }),
  fc.record({ kind: fc.constant('status'), report: volunteerReport }),
  fc.record({ kind: fc.constant('answer'), share: fc.double({ min: 0, max: 1, noNaN: true }) }),
  fc.record({ kind: fc.constant('duplicate') }),
)

const volunteerSession: fc.Arbitrary<VolunteerSession> = fc.record({
  opening: fc.constantFrom('hello', 'hello', 'hello', 'hello', 'none', 'old-version'),
  chatter: fc.array(chatter, { minLength: 5, maxLength: 60, size: 'max' }),
  ending: fc.oneof(
    { arbitrary: anyFrame(badVolunteerText).map((frame): Ending => ({ kind: 'bad', frame })), weight: 6 },
    { arbitrary: fc.constant<Ending>({ kind: 'hello-twice' }), weight: 1 },
    {
      arbitrary: fc
        .integer({ min: MAX_JSON_DEPTH + 1, max: 1_000_000 })
        .map((depth): Ending => ({ kind: 'nested', depth })),
      weight: 1,
    },
    { arbitrary: fc.constant<Ending>({ kind: 'leave' }), weight: 1 },
  ),
  after: fc.array(
    anyFrame(
      fc.oneof(
        garbageText,
        volunteerMessage.map((m) => JSON.stringify(m)),
      ),
    ),
    {
      maxLength: 20,
      size: 'max',
    },
  ),
})

async function playVolunteer(
  server: PrintedServer,
  session: VolunteerSession,
  counts: { sent: number; lent: number; heldAtEnd: number },
): Promise<void> {
  const volunteer = new FakeVolunteer(server)
  const send = (frame: Frame): void => {
    counts.sent++
    sendFrame(volunteer.socket, frame)
  }
  // Jobs and outcomes travel in columns (`toWire`); other messages as they are.
  const sendJson = <M extends { readonly type: string }>(message: M): void =>
    send({ kind: 'text', text: JSON.stringify(toWire(message)) })
  const describe = (): string => `volunteer ${JSON.stringify(session).slice(0, 300)}`
  await Promise.race([once(volunteer.socket, 'open'), volunteer.closing])

  if (session.opening === 'big-hello') {
    const text = `{"type":"hello","protocolVersion":1,"deviceName":"${'x'.repeat(MAX_VOLUNTEER_HELLO_CHARS)}"}`
    send({ kind: 'text', text })
    const closed = await volunteer.closing
    const expected = { code: 1009, reason: `message too large: ${text.length} characters` }
    check(closedAs(closed, expected), () => `${describe()} closed ${JSON.stringify(closed)}`)
    return
  }
  if (session.opening !== 'hello') {
    // Without a hello, its first message is its last: a valid one is out of turn, an old version refused.
    const expected: Closed =
      session.opening === 'old-version'
        ? { code: 1008, reason: 'this page speaks protocol 0, the root 1: reload the page' }
        : { code: 1008, reason: 'the first message must be hello' }
    if (session.opening === 'old-version') sendJson({ type: 'hello', protocolVersion: 0, deviceName: 'old' })
    else sendJson({ type: 'outcomes', outcomes: [{ id: 0, ok: true, result: 'forged' }] })
    const closed = await volunteer.closing
    check(closedAs(closed, expected), () => `${describe()} closed ${JSON.stringify(closed)}`)
    return
  }

  sendJson({ type: 'hello', protocolVersion: 1, deviceName: 'fuzz' })
  // Let some jobs come, so that it holds items it can answer, duplicate, or forge after its end.
  for (let waited = 0; volunteer.jobsReceived() === 0 && waited < 300; waited += 10) await delay(10)
  const answered = new Map<number, string>()
  for (const step of session.chatter) {
    if (step.kind === 'stray') sendJson({ type: 'outcomes', outcomes: step.outcomes })
    else if (step.kind === 'status') sendJson({ type: 'status', report: step.report })
    else if (step.kind === 'duplicate') {
      const again = [...answered.keys()].map((id) => ({ id, ok: true, result: 'forged' }))
      if (again.length > 0) sendJson({ type: 'outcomes', outcomes: again })
    } else {
      const open = volunteer.jobs().filter((job) => !answered.has(job.id))
      const now = open.slice(0, Math.ceil(open.length * step.share))
      for (const job of now) answered.set(job.id, String(Number(job.value) ** 2))
      if (now.length > 0) {
        sendJson({
          type: 'outcomes',
          outcomes: now.map((job) => ({ id: job.id, ok: true, result: answered.get(job.id) })),
        })
      }
    }
    await tick()
  }

  let expected: Closed
  const ending = session.ending
  if (ending.kind === 'leave') {
    volunteer.socket.close(1000, 'leaving')
    expected = { code: 1000, reason: 'leaving' }
  } else {
    if (ending.kind === 'bad') {
      send(ending.frame)
      expected = expectedClose(
        ending.frame,
        MAX_VOLUNTEER_MESSAGE_BYTES,
        (text) => refusal(parseVolunteerMessage, text) ?? '',
      )
    } else if (ending.kind === 'nested') {
      send({
        kind: 'text',
        text: `{"type":"status","report":${'['.repeat(ending.depth)}${']'.repeat(ending.depth)}}`,
      })
      expected = { code: 1008, reason: `message nested too deep: more than ${MAX_JSON_DEPTH} levels` }
    } else if (ending.kind === 'oversized') {
      send({ kind: 'text', text: `{"type":"status","report":"${'x'.repeat(MAX_VOLUNTEER_MESSAGE_BYTES)}"}` })
      expected = tooLarge(MAX_VOLUNTEER_MESSAGE_BYTES)
    } else {
      sendJson({ type: 'hello', protocolVersion: 1, deviceName: 'again' })
      expected = { code: 1008, reason: 'hello sent twice' }
    }
    // Forged results for what it holds, after its end: the root must have stopped listening.
    const held = volunteer.jobs().filter((job) => !answered.has(job.id))
    if (held.length > 0)
      sendJson({
        type: 'outcomes',
        outcomes: held.map((job) => ({ id: job.id, ok: true, result: 'forged' })),
      })
    for (const frame of session.after) send(frame)
  }
  const closed = await volunteer.closing
  counts.lent += volunteer.jobsReceived()
  counts.heldAtEnd += volunteer.jobsReceived() - answered.size
  check(
    closedAs(closed, expected),
    () => `${describe()} closed ${JSON.stringify(closed)}, not ${JSON.stringify(expected)}`,
  )
  if (expected.code === 1008 && expected.reason !== '') {
    const last = volunteer.received.at(-1)
    check(
      last?.type === 'error' && last.reason === expected.reason,
      () => `${describe()} was told ${JSON.stringify(last)}, not ${expected.reason}`,
    )
  }
}

// ---- /join -----------------------------------------------------------------------------------------

type JoinSession =
  /** Frames none of which the relay takes; the first closes the attempt. */
  | { readonly kind: 'garbage'; readonly frames: readonly Frame[] }
  /** One more signal than an attempt may send, each a candidate the loopback-only relay drops. */
  | { readonly kind: 'signal-flood' }
  /** A first signal the root's WebRTC cannot use: the tree rejects the attempt, or it times out. */
  | { readonly kind: 'offer'; readonly sdp: string }
  | { readonly kind: 'oversized' }

const badJoinText = fc
  .oneof(
    garbageText,
    jsonText,
    joinerSignal.map((message) => JSON.stringify(message)),
  )
  .filter((text) => refusal(parseJoinerSignal, text) !== undefined)

const joinSession: fc.Arbitrary<JoinSession> = fc.oneof(
  {
    arbitrary: fc
      .array(anyFrame(badJoinText), { minLength: 1, maxLength: 50, size: 'max' })
      .map((frames): JoinSession => ({ kind: 'garbage', frames })),
    weight: 12,
  },
  { arbitrary: fc.constant<JoinSession>({ kind: 'signal-flood' }), weight: 1 },
  {
    arbitrary: fc
      .array(fc.string({ maxLength: 30 }), { maxLength: 6 })
      .map((lines): JoinSession => ({ kind: 'offer', sdp: ['v=0', ...lines].join('\r\n') })),
    weight: 2,
  },
  { arbitrary: fc.constant<JoinSession>({ kind: 'oversized' }), weight: 1 },
)

/** Largest message the relay takes, in bytes (MAX_JOIN_MESSAGE_BYTES). */
const MAX_JOIN_BYTES = 64 * 1024

async function playJoiner(
  server: PrintedServer,
  session: JoinSession,
  counts: { sent: number },
): Promise<void> {
  const joiner = await connect(server, '/join')
  const describe = (): string => `joiner ${JSON.stringify(session).slice(0, 300)}`
  const send = (frame: Frame): void => {
    counts.sent++
    sendFrame(joiner.socket, frame)
  }
  let expected: Closed | undefined
  if (session.kind === 'garbage') {
    for (const frame of session.frames) send(frame)
    const first = session.frames[0] as Frame
    expected = expectedClose(first, MAX_JOIN_BYTES, (text) => refusal(parseJoinerSignal, text) ?? '')
  } else if (session.kind === 'oversized') {
    send({ kind: 'text', text: 'x'.repeat(MAX_JOIN_BYTES + 1) })
    expected = tooLarge(MAX_JOIN_BYTES)
  } else if (session.kind === 'signal-flood') {
    for (let seq = 0; seq <= 64; seq++) {
      const candidate = { candidate: `candidate:1 1 udp 1 192.0.2.${seq % 250} 5000 typ host`, sdpMid: '0' }
      send({
        kind: 'text',
        text: JSON.stringify({ type: 'join', seq, weight: 1, signal: { type: 'candidate', candidate } }),
      })
    }
    expected = { code: 1008, reason: 'more than 64 signals in one attempt' }
  } else {
    send({
      kind: 'text',
      text: JSON.stringify({ type: 'join', seq: 0, weight: 1, signal: { type: 'offer', sdp: session.sdp } }),
    })
  }
  const closed = await joiner.closed
  if (expected === undefined) {
    // The tree gives up on it (then says why), or the relay's timer does.
    check(
      closed.code === 1000 && ['join rejected', 'join attempt timed out'].includes(closed.reason),
      () => `${describe()} closed ${JSON.stringify(closed)}`,
    )
    return
  }
  check(
    closedAs(closed, expected),
    () => `${describe()} closed ${JSON.stringify(closed)}, not ${JSON.stringify(expected)}`,
  )
  if (expected.code === 1008) {
    check(
      JSON.stringify(joiner.received) === JSON.stringify([{ type: 'rejected', reason: expected.reason }]),
      () => `${describe()} was told ${JSON.stringify(joiner.received)}`,
    )
  }
}

/** Opens {@link FLOOD} attempts at once: those over the limit must be rejected, with the reason, at once. */
async function floodJoins(server: PrintedServer): Promise<{ admitted: number; rejected: number }> {
  const attempts = await Promise.all(Array.from({ length: FLOOD }, () => connect(server, '/join')))
  // A rejected attempt is told why and closed at once; give those messages time to arrive.
  await delay(300)
  let rejected = 0
  for (const attempt of attempts) {
    if (attempt.socket.readyState === WebSocket.OPEN) continue
    rejected++
    const closed = await attempt.closed
    const [message] = attempt.received as { type?: string; reason?: string }[]
    check(
      closed.code === 1013 && /^too many join attempts/.test(closed.reason) && message?.type === 'rejected',
      () => `a flooding joiner closed ${JSON.stringify(closed)}, told ${JSON.stringify(attempt.received)}`,
    )
  }
  for (const attempt of attempts) attempt.socket.close()
  await Promise.all(attempts.map((attempt) => attempt.closed))
  return { admitted: FLOOD - rejected, rejected }
}

// ---- /monitor/feed ---------------------------------------------------------------------------------

/** Largest message a viewer may send before ws closes it with 1009 (MAX_VIEWER_PAYLOAD_BYTES). */
const MAX_VIEWER_BYTES = 1024

/**
 * What a viewer sends: any first frame (too large or not UTF-8 included), then a burst of frames ws takes
 * (the feed terminates a socket whose frame ws refuses, which would hide the first frame's close code).
 */
const viewerFrames = fc
  .tuple(
    fc.oneof(
      anyFrame(fc.oneof(garbageText, jsonText)),
      fc
        .nat({ max: 3 * MAX_VIEWER_BYTES })
        .map((length): Frame => ({ kind: 'text', text: 'v'.repeat(length) })),
    ),
    fc.array(
      fc.oneof(
        fc.oneof(garbageText, jsonText).map((text): Frame => ({ kind: 'text', text })),
        fc.uint8Array({ maxLength: 40 }).map((bytes): Frame => ({ kind: 'binary', bytes })),
      ),
      { maxLength: 40, size: 'max' },
    ),
  )
  .map(([first, rest]) => [
    first,
    ...rest.filter((frame) => frame.kind !== 'text' || Buffer.byteLength(frame.text) <= MAX_VIEWER_BYTES),
  ])

async function playViewer(
  server: PrintedServer,
  frames: readonly Frame[],
  counts: { sent: number },
): Promise<void> {
  const viewer = await connect(server, '/monitor/feed')
  for (const frame of frames) {
    counts.sent++
    sendFrame(viewer.socket, frame)
  }
  const first = frames[0] as Frame
  const expected =
    first.kind === 'binary' ? { code: 1008, reason: '' } : expectedClose(first, MAX_VIEWER_BYTES, () => '')
  if (expected.code === 1008) Object.assign(expected, { reason: 'the monitor feed is read-only' })
  const closed = await viewer.closed
  check(
    closed.code === expected.code && closed.reason === expected.reason,
    () =>
      `a viewer sending ${JSON.stringify(first).slice(0, 200)} closed ${JSON.stringify(closed)}, not ${JSON.stringify(expected)}`,
  )
}

// ---- the run ---------------------------------------------------------------------------------------

describe('pando under fuzzed peers, through the real CLI', () => {
  it(`keeps going and writes exactly its results while peers send garbage on every channel (seed ${SEED})`, async () => {
    const run = startPando(
      [
        'examples/square-no-delay.js',
        '--stdin',
        '--no-start-idle',
        '--port',
        '0',
        '--ice-addresses',
        'loopback',
        '--bootstrap-timeout',
        '3000',
        '--reporting-interval',
        '1',
      ],
      { env: { DEBUG: 'pando-computing:monitoring' } },
    )
    const server = await waitForServer(run)

    // Items go in a few at a time while the peers play, so that there are always some to lend them.
    let fed = 0
    let peersDone = false
    const feeding = (async () => {
      while (!peersDone && fed < ITEMS - LAST_ITEMS) {
        const next = Math.min(fed + 25, ITEMS - LAST_ITEMS)
        run.child.stdin.write(seqLines(fed, next))
        fed = next
        await delay(10)
      }
    })()

    const volunteers = { sent: 0, lent: 0, heldAtEnd: 0 }
    const joiners = { sent: 0 }
    const viewers = { sent: 0 }
    const sessions = fc.sample(volunteerSession, { seed: SEED, numRuns: VOLUNTEERS })
    sessions[0] = { opening: 'hello', chatter: [], ending: { kind: 'oversized' }, after: [] }
    // Besides: the largest frame of nesting `/volunteer` takes (16 MiB), and a hello too large to be one.
    sessions.push(
      { opening: 'hello', chatter: [], ending: { kind: 'nested', depth: 8 * 1024 * 1024 - 20 }, after: [] },
      { opening: 'big-hello', chatter: [], ending: { kind: 'leave' }, after: [] },
    )
    const joins = fc.sample(joinSession, { seed: SEED + 1, numRuns: JOINERS })
    const views = fc.sample(viewerFrames, { seed: SEED + 2, numRuns: VIEWERS })
    let flood = { admitted: 0, rejected: 0 }
    await Promise.all([
      pool(
        sessions.map((session) => () => playVolunteer(server, session, volunteers)),
        CONCURRENCY,
      ),
      (async () => {
        await pool(
          joins.map((session) => () => playJoiner(server, session, joiners)),
          CONCURRENCY,
        )
        flood = await floodJoins(server)
      })(),
      pool(
        views.map((frames) => () => playViewer(server, frames, viewers)),
        CONCURRENCY,
      ),
    ])
    peersDone = true
    await feeding
    run.child.stdin.end(seqLines(fed, ITEMS))
    const result = await run.exited

    expect(problems).toEqual([])
    expect(result.code).toBe(0)
    expect(result.stdout).toBe(seqLines(0, ITEMS, (n) => String(n * n)))
    // No stack trace: every bad message was refused, none escaped as an exception.
    expect(result.stderr).not.toMatch(/\n\s+at .+:\d+:\d+\)?\n/)
    expect(flood.rejected).toBeGreaterThan(0)
    expect(flood.admitted).toBeLessThanOrEqual(200)
    // Thousands of messages over the three channels.
    expect(volunteers.sent).toBeGreaterThan(2_000)
    expect(joiners.sent).toBeGreaterThan(1_500)
    expect(viewers.sent).toBeGreaterThan(1_000)
  })
})
