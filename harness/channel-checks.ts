// The checks of the Channel compliance suite, free of any test runner so that they run in Node (vitest, see
// `channel.ts`) and in a Chromium page alike (`test/e2e/channel-compliance.spec.ts` bundles this file). They
// check the channel contract (overlay SPEC, rules 1–4) and what every link gets from the overlay's one
// `Link`: its heartbeat gives a silent peer up, and its heartbeats measure the round trip.
import {
  Link,
  systemClock,
  type Channel,
  type Connector,
  type LinkHandlers,
  type PeerChannel,
} from '@pando/overlay'

/** Two ends of one link: the first made at once (connecting), the second once the first reached it. */
export interface ChannelPair {
  /** The initiator's end (a WebRTC joiner, a WebSocket client), connecting when handed over. */
  readonly first: Channel
  /** The accepting end (the WebRTC answerer, the server's socket): connecting or open. */
  readonly second: Promise<Channel>
}

export interface ChannelSuiteSetup {
  /** A new pair of ends that reach each other. */
  pair(): ChannelPair
  /** Lets pending deliveries happen. */
  settle(): Promise<void>
}

/** One check of the suite: what it shows, and how. */
export interface ChannelCheck {
  readonly name: string
  /** Resolves when the check holds; rejects (an `Error` saying what differed) when it does not. */
  run(setup: ChannelSuiteSetup): Promise<void>
}

/** How long a check of a Link may take: a few heartbeats, on a loaded machine. */
export const LINK_CHECK_TIMEOUT_MS = 30_000

/**
 * The heartbeat of the Links of the suite, in ms: short, so a silent peer is given up quickly, yet long enough
 * that a page on a loaded machine is not taken for silent (at 400 ms a live peer was given up once on CI).
 */
const LINK_HEARTBEAT_MS = 1_000

/** Settling rounds a check waits for something at most (a bound, not a measure). */
const ROUNDS = 1_000

/** Settling rounds a Link check waits at most: heartbeats take hundreds of rounds of a few ms. */
const LINK_ROUNDS = 100_000

/** Connects two channels of `connector`, carrying the signals between them directly. */
export function connectPair(connector: Connector): [PeerChannel, PeerChannel] {
  const a = connector.create({ initiator: true })
  const b = connector.create({ initiator: false })
  // A channel closed by the test still gathers candidates for a moment: they no longer reach the other.
  a.on('signal', (signal) => {
    if (b.state !== 'closed') b.signal(signal)
  })
  b.on('signal', (signal) => {
    if (a.state !== 'closed') a.signal(signal)
  })
  return [a, b]
}

/** A setup of peer channels from `connector` (signals carried directly), settling with `settle`. */
export function peerSetup(connector: () => Connector, settle: () => Promise<void>): ChannelSuiteSetup {
  return {
    pair: () => {
      const [a, b] = connectPair(connector())
      return { first: a, second: Promise.resolve(b) }
    },
    settle,
  }
}

/**
 * Two channels of `connector`, both open (the first the initiator). A pair that closes while connecting is
 * made again, once: libdatachannel sometimes closes one ("Got a remote candidate without ICE transport", a
 * candidate handled before its description, about once in 13 runs), and the connection is not what the
 * tests that use this check. `opened` collects the channels, for closing after the test.
 */
export async function openPair(
  connector: Connector,
  opened: PeerChannel[] = [],
): Promise<[PeerChannel, PeerChannel]> {
  const once = async (): Promise<[PeerChannel, PeerChannel]> => {
    const pair = connectPair(connector)
    opened.push(...pair)
    await Promise.all(pair.map(opening))
    return pair
  }
  try {
    return await once()
  } catch {
    return await once()
  }
}

/** Resolves when `channel` opens (at once if it is open), rejects if it closes first. */
function opening(channel: Channel): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (channel.state === 'open') return resolve()
    let failure = ''
    channel.on('open', () => resolve())
    channel.on('error', (error) => (failure = `: ${error.message}`))
    channel.on('close', () => reject(new Error(`closed before it opened${failure}`)))
  })
}

/** The two ends of a pair of `setup`, both open. */
async function openEnds(setup: ChannelSuiteSetup): Promise<[Channel, Channel]> {
  const pair = setup.pair()
  const second = await pair.second
  await Promise.all([opening(pair.first), opening(second)])
  return [pair.first, second]
}

function assert(condition: boolean, message: string): void {
  if (!condition) throw new Error(message)
}

function assertEqual(actual: unknown, expected: unknown, what: string): void {
  const [a, e] = [JSON.stringify(actual), JSON.stringify(expected)]
  assert(a === e, `${what}: expected ${e}, got ${a}`)
}

function assertThrowsNamed(action: () => void, name: string, what: string): void {
  try {
    action()
  } catch (error) {
    assertEqual((error as Error).name, name, `${what} threw`)
    return
  }
  throw new Error(`${what} did not throw ${name}`)
}

async function until(setup: ChannelSuiteSetup, condition: () => boolean, what: string, rounds = ROUNDS) {
  for (let i = 0; i < rounds && !condition(); i++) await setup.settle()
  assert(condition(), `gave up waiting: ${what}`)
}

const isPeer = (channel: Channel): channel is PeerChannel => 'signal' in channel

/** What a Link reported to its handlers ({@link recordingHandlers}). */
interface LinkReports {
  readonly messages: unknown[]
  readonly roundTrips: number[]
  silences: number
  closes: number
}

/** Link handlers that record what the link reports. */
function recordingHandlers(): { handlers: LinkHandlers; reports: LinkReports } {
  const reports: LinkReports = { messages: [], roundTrips: [], silences: 0, closes: 0 }
  const handlers: LinkHandlers = {
    message: (message) => reports.messages.push(message),
    closed: () => reports.closes++,
    silent: () => reports.silences++,
    roundTrip: (ms) => reports.roundTrips.push(ms),
  }
  return { handlers, reports }
}

/** The checks, in order. */
export const channelChecks: readonly ChannelCheck[] = [
  {
    name: 'opens both ends, moving only forward',
    run: async (setup) => {
      const pair = setup.pair()
      assertEqual(pair.first.state, 'connecting', 'the first end, as made')
      const second = await pair.second
      assert(second.state !== 'closed', 'the second end is closed as it comes')
      if (isPeer(second)) assertEqual(second.state, 'connecting', 'the second peer end, as made')
      await until(setup, () => pair.first.state === 'open' && second.state === 'open', 'both ends open')
    },
  },
  {
    name: 'delivers messages in order, both ways',
    run: async (setup) => {
      const [a, b] = await openEnds(setup)
      const atA: unknown[] = []
      const atB: unknown[] = []
      a.on('message', (m) => atA.push(m))
      b.on('message', (m) => atB.push(m))
      for (let i = 0; i < 50; i++) a.send({ n: i })
      b.send(['x', 1, null])
      await until(setup, () => atB.length === 50 && atA.length === 1, 'every message delivered')
      assertEqual(
        atB,
        Array.from({ length: 50 }, (_, n) => ({ n })),
        'what B received',
      )
      assertEqual(atA, [['x', 1, null]], 'what A received')
    },
  },
  {
    name: 'throws NotOpenError on send before open',
    run: async (setup) => {
      const pair = setup.pair()
      assertThrowsNamed(() => pair.first.send('early'), 'NotOpenError', 'send before open')
      pair.first.close()
      await Promise.resolve()
    },
  },
  {
    name: 'closes the other end too, emitting close exactly once on each',
    run: async (setup) => {
      const [a, b] = await openEnds(setup)
      const closes = { a: 0, b: 0 }
      a.on('close', () => closes.a++)
      b.on('close', () => closes.b++)
      a.close()
      a.close()
      assertEqual(a.state, 'closed', 'the closed end')
      await until(setup, () => b.state === 'closed', 'the other end closed')
      b.close()
      await setup.settle()
      assertEqual(closes, { a: 1, b: 1 }, 'close events')
    },
  },
  {
    name: 'throws ClosedError on send (and signal) after close',
    run: async (setup) => {
      const [a] = await openEnds(setup)
      a.close()
      assertThrowsNamed(() => a.send('late'), 'ClosedError', 'send after close')
      if (isPeer(a)) assertThrowsNamed(() => a.signal({}), 'ClosedError', 'signal after close')
    },
  },
  {
    name: 'carries a Link whose heartbeats measure the round trip, both ways',
    run: async (setup) => {
      const [a, b] = await openEnds(setup)
      const [atA, atB] = [recordingHandlers(), recordingHandlers()]
      const link = new Link(a, systemClock, LINK_HEARTBEAT_MS, atA.handlers)
      const other = new Link(b, systemClock, LINK_HEARTBEAT_MS, atB.handlers)
      try {
        const measured = (): boolean => atA.reports.roundTrips.length > 0 && atB.reports.roundTrips.length > 0
        const closed = (): boolean => atA.reports.closes + atB.reports.closes > 0
        await until(setup, () => measured() || closed(), 'a round trip measured at each end', LINK_ROUNDS)
        // A live peer given up (a closed link never measures): said as such, not as a check that never ends.
        assertEqual([atA.reports.silences, atB.reports.silences], [0, 0], 'silences before a round trip')
        assert(measured(), 'a round trip measured at each end')
        const roundTrips = [...atA.reports.roundTrips, ...atB.reports.roundTrips]
        assert(
          roundTrips.every((ms) => ms >= 0 && ms < LINK_HEARTBEAT_MS),
          `round trips within the heartbeat: ${roundTrips.join(', ')}`,
        )
        link.send({ type: 'hello' })
        const hello = (): boolean =>
          atB.reports.messages.some((m) => (m as { type?: string }).type === 'hello')
        await until(setup, hello, 'the message sent through the Link', LINK_ROUNDS)
        assertEqual([atA.reports.silences, atB.reports.silences], [0, 0], 'silences')
      } finally {
        link.close()
        other.close()
      }
    },
  },
  {
    name: 'carries a Link that gives a silent peer up within its heartbeat, and closes the channel',
    run: async (setup) => {
      const [a, b] = await openEnds(setup)
      // Only A runs a Link: B is open but sends nothing, as a frozen tab or a host whose link was cut.
      const atA = recordingHandlers()
      new Link(a, systemClock, LINK_HEARTBEAT_MS, atA.handlers)
      await until(setup, () => atA.reports.closes === 1, 'the silent peer given up', LINK_ROUNDS)
      assertEqual(atA.reports.silences, 1, 'silences')
      assertEqual(a.state, 'closed', 'the watching end')
      await until(setup, () => b.state === 'closed', 'the silent end closed', LINK_ROUNDS)
    },
  },
]

/**
 * `setup` with every pair it makes remembered, and a `closeAll` that closes them (a second end that comes
 * later is closed as it comes): the checks leave open channels behind when they fail.
 */
export function trackedSetup(setup: ChannelSuiteSetup): ChannelSuiteSetup & { closeAll(): void } {
  const made: ChannelPair[] = []
  return {
    settle: () => setup.settle(),
    pair: () => {
      const pair = setup.pair()
      made.push(pair)
      return pair
    },
    closeAll: () => {
      for (const pair of made.splice(0)) {
        pair.first.close()
        void pair.second.then((channel) => channel.close())
      }
    },
  }
}
