// Fuzz test of the root of the WebRTC tree (`startTreeRoot`) on in-memory channels: children join, answer
// some of their jobs, and send random messages (garbage, outcomes for ids they never held, duplicates with
// forged results, forged reports, control messages with absurd figures), leave or are closed. Whatever they
// do, the root never throws and its lender's output is exact: every item once, in order, its true result.
import { parseTreeWorkMessage, toWire, type Job, type Outcome } from '@pando/protocol'
import { createLender, type Settled } from '@pando/scheduler'
import fc from 'fast-check'
import pull from 'pull-stream'
import { describe, expect, it, onTestFinished, vi } from 'vitest'
import {
  Emitter,
  isControlMessage,
  type ChannelState,
  type Connector,
  type PeerChannel,
  type PeerChannelEvents,
  type Signal,
} from '@pando/overlay'
import { controlMessage, jsonValue, treeWorkMessage } from '../../../test/support/fuzz-arbitraries.ts'
import { startTreeRoot } from '../src/tree-root.ts'
import { internalErrors, TestBoard } from './util.ts'

// The root makes its channels with createWebRtcConnector: hand it in-memory ones instead.
const hooks = vi.hoisted((): { connector: unknown } => ({ connector: undefined }))
vi.mock('@pando/overlay', async (importOriginal) => ({
  ...(await importOriginal<object>()),
  createWebRtcConnector: () => hooks.connector,
}))
vi.mock('../src/node-wrtc.ts', () => ({ nodeWrtc: {} }))

/** A child's end of a tree link, played by the test: the root's end is this channel. */
class FakeChannel extends Emitter<PeerChannelEvents> implements PeerChannel {
  state: ChannelState = 'connecting'
  /** What the root sent the child. */
  readonly sent: unknown[] = []

  send(message: unknown): void {
    if (this.state !== 'open') throw new Error(`send on a ${this.state} channel`)
    // As a data channel would: the child gets a copy, through JSON.
    this.sent.push(JSON.parse(JSON.stringify(message)))
  }

  close(): void {
    if (this.state === 'closed') return
    this.state = 'closed'
    this.emit('close')
  }

  signal(_signal: Signal): void {
    if (this.state === 'closed') throw new Error('signal on a closed channel')
    this.emit('signal', { type: 'answer', sdp: 'v=0' })
  }

  open(): void {
    this.state = 'open'
    this.emit('open')
  }

  /** A message from the child, as the data channel hands it over: parsed JSON. */
  deliver(message: unknown): void {
    if (this.state === 'open') this.emit('message', JSON.parse(JSON.stringify(message)) as unknown)
  }

  /** The jobs the root lent the child so far. */
  jobs(): Job[] {
    return this.sent.flatMap((message) => {
      const work = parseTreeWorkMessage(message)
      return work?.type === 'jobs' ? work.jobs : []
    })
  }
}

class FakeConnector implements Connector {
  readonly created: FakeChannel[] = []
  create(): FakeChannel {
    const channel = new FakeChannel()
    this.created.push(channel)
    return channel
  }
}

const square = (job: Job): string => String(Number(job.value) ** 2)

/** What one child does next. */
type Action =
  | { readonly kind: 'join'; readonly weight: number }
  | { readonly kind: 'answer'; readonly child: number; readonly share: number }
  | { readonly kind: 'duplicate'; readonly child: number }
  | { readonly kind: 'stray'; readonly child: number; readonly ids: number[]; readonly ok: boolean }
  | { readonly kind: 'random'; readonly child: number; readonly message: unknown }
  | { readonly kind: 'leave'; readonly child: number }

/** A weight, or a worker count in a report, as a joiner could claim: mostly small, sometimes absurd. */
const claimedWorkers = fc.oneof(
  { arbitrary: fc.integer({ min: 1, max: 4 }), weight: 8 },
  { arbitrary: fc.constantFrom(2 ** 40, 2 ** 52, Number.MAX_SAFE_INTEGER), weight: 1 },
)

const action: fc.Arbitrary<Action> = fc.oneof(
  { arbitrary: claimedWorkers.map((weight) => ({ kind: 'join', weight }) as const), weight: 2 },
  {
    arbitrary: fc.record({
      kind: fc.constant('answer'),
      child: fc.nat(),
      share: fc.double({ min: 0, max: 1, noNaN: true }),
    }),
    weight: 4,
  },
  { arbitrary: fc.record({ kind: fc.constant('duplicate'), child: fc.nat() }), weight: 1 },
  {
    arbitrary: fc.record({
      kind: fc.constant('stray'),
      child: fc.nat(),
      ids: fc.array(fc.nat({ max: 50 }), { minLength: 1, maxLength: 5 }),
      ok: fc.boolean(),
    }),
    weight: 1,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant('random'),
      child: fc.nat(),
      message: fc.oneof(
        jsonValue,
        treeWorkMessage,
        controlMessage,
        claimedWorkers.map((workers) => ({
          type: 'subtree-report',
          id: 'c',
          size: 1,
          pending: 0,
          workers,
          received: 0,
        })),
      ),
    }),
    weight: 4,
  },
  { arbitrary: fc.record({ kind: fc.constant('leave'), child: fc.nat() }), weight: 1 },
)

const scenario = fc.record({
  items: fc.integer({ min: 1, max: 120 }),
  batchSize: fc.integer({ min: 1, max: 8 }),
  actions: fc.array(action, { minLength: 1, maxLength: 40 }),
})

/** Lets the lender's pull-streams and the collecting sink run. */
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

describe('startTreeRoot, fuzzed by its children', () => {
  it('never throws, closes a child that breaks the protocol, and lends every item to exactly one output', async () => {
    let messages = 0
    const bugs = internalErrors()
    await fc.assert(
      fc.asyncProperty(scenario, async ({ items, batchSize, actions }) => {
        const connector = new FakeConnector()
        hooks.connector = connector
        const lender = createLender({ ordered: true, retries: 2 })
        pull(
          pull.values(Array.from({ length: items }, (_, id): Job => ({ id, value: String(id) }))),
          lender.sink,
        )
        let output: Settled[] | undefined
        pull(
          lender.source,
          pull.collect((error, settled: Settled[]) => {
            if (error instanceof Error) throw error
            output = settled
          }),
        )
        const root = startTreeRoot({
          lender,
          degree: 4,
          bootstrapTimeoutMs: 60_000,
          heartbeatMs: 0,
          batchSize,
          iceServers: [],
          sendToJoiner: () => undefined,
          board: new TestBoard(),
          onInternalError: bugs.report,
        })
        const children: FakeChannel[] = []
        const answered = new Map<FakeChannel, Job[]>()
        const join = (weight: number): FakeChannel | undefined => {
          const before = connector.created.length
          root.handleJoinSignal({
            type: 'join-signal',
            origin: `o${before}`,
            seq: 0,
            weight,
            signal: { type: 'offer', sdp: 'v=0' },
          })
          const channel = connector.created[before]
          // A full root routes the attempt to a child instead: that child's end is not played here.
          if (channel === undefined) return undefined
          channel.open()
          children.push(channel)
          answered.set(channel, [])
          return channel
        }
        const send = (channel: FakeChannel, message: unknown): void => {
          messages++
          channel.deliver(message)
        }
        const answer = (channel: FakeChannel, share: number): void => {
          const done = answered.get(channel) ?? []
          const open = channel.jobs().filter((job) => !done.includes(job))
          const now = open.slice(0, Math.ceil(open.length * share))
          if (now.length === 0) return
          done.push(...now)
          send(
            channel,
            toWire({
              type: 'outcomes',
              outcomes: now.map((job) => ({ id: job.id, ok: true, result: square(job) })),
            }),
          )
        }

        for (const step of actions) {
          if (step.kind === 'join') {
            join(step.weight)
            continue
          }
          const channel = children[step.child % Math.max(1, children.length)]
          if (channel === undefined) continue
          switch (step.kind) {
            case 'answer':
              answer(channel, step.share)
              break
            case 'duplicate': {
              const again = answered.get(channel) ?? []
              if (again.length > 0) {
                send(
                  channel,
                  toWire({
                    type: 'outcomes',
                    outcomes: again.map((job) => ({ id: job.id, ok: true, result: 'forged' })),
                  }),
                )
              }
              break
            }
            case 'stray':
              // Ids past the input: no child ever held them.
              send(
                channel,
                toWire({
                  type: 'outcomes',
                  outcomes: step.ids.map((id): Outcome =>
                    step.ok
                      ? { id: items + id, ok: true, result: 'forged' }
                      : { id: items + id, ok: false, error: { name: 'Error', message: 'forged' } },
                  ),
                }),
              )
              break
            case 'random': {
              const message = asStray(step.message, items)
              const wasOpen = channel.state === 'open'
              send(channel, message)
              // The overlay checks its own messages (see its fuzz test); the root checks the rest.
              if (wasOpen && !isControlMessage(message)) {
                expect(channel.state).toBe(isChildWork(message) ? 'open' : 'closed')
              }
              break
            }
            case 'leave':
              channel.close()
          }
          await settle()
        }

        // Everyone leaves; one honest child comes and finishes the run.
        for (const channel of children) channel.close()
        const finisher = join(1)
        expect(finisher).toBeDefined()
        for (let round = 0; output === undefined; round++) {
          expect(round).toBeLessThan(10_000)
          if (finisher !== undefined) answer(finisher, 1)
          await settle()
        }
        root.close()
        expect(output.map((settled) => (settled.ok ? settled.result : settled.error.message))).toEqual(
          Array.from({ length: items }, (_, i) => String(i * i)),
        )
      }),
      { numRuns: 400 },
    )
    // Thousands of messages from children over the runs, and not one bug of the root's.
    expect(messages).toBeGreaterThan(3_000)
    expect(bugs.seen).toEqual([])
  })

  it("reports a bug of its own as an internal error, not as a child's fault; a child's fault, silently", async () => {
    const bugs = internalErrors()
    const connector = new FakeConnector()
    hooks.connector = connector
    const lender = createLender({ ordered: true, retries: 2 })
    pull(pull.values(Array.from({ length: 8 }, (_, id): Job => ({ id, value: String(id) }))), lender.sink)
    pull(lender.source, pull.drain())
    const board = new TestBoard()
    vi.spyOn(board, 'countOutcomes').mockImplementation(() => {
      throw new TypeError('a bug in the board')
    })
    const root = startTreeRoot({
      lender,
      degree: 4,
      bootstrapTimeoutMs: 60_000,
      heartbeatMs: 0,
      batchSize: 2,
      iceServers: [],
      sendToJoiner: () => undefined,
      board,
      onInternalError: bugs.report,
    })
    onTestFinished(() => root.close())
    const join = (origin: string): FakeChannel => {
      root.handleJoinSignal({
        type: 'join-signal',
        origin,
        seq: 0,
        weight: 1,
        signal: { type: 'offer', sdp: 'v=0' },
      })
      const channel = connector.created.at(-1)
      if (channel === undefined) throw new TypeError('the root made no channel')
      channel.open()
      return channel
    }
    const rude = join('rude')
    rude.deliver({ type: 'outcomes', outcomes: 'not a list' })
    expect(rude.state).toBe('closed')
    expect(bugs.seen).toEqual([])

    const honest = join('honest')
    await settle()
    const jobs = honest.jobs()
    expect(jobs.length).toBeGreaterThan(0)
    honest.deliver(
      toWire({
        type: 'outcomes',
        outcomes: jobs.map((job) => ({ id: job.id, ok: true, result: square(job) })),
      }),
    )
    expect(honest.state).toBe('closed')
    expect(bugs.seen).toEqual([['taking a message from a tree child', new TypeError('a bug in the board')]])
  })
})

/** Whether `message` is a work message a child may send: outcomes or a status. */
function isChildWork(message: unknown): boolean {
  try {
    const work = parseTreeWorkMessage(message)
    return work?.type === 'outcomes' || work?.type === 'status'
  } catch {
    return false
  }
}

/**
 * `message`, with the ids of any outcomes it validly carries moved past the input: a child answering an
 * item it holds with a wrong result cannot be told from an honest one, so these random ones only ever
 * answer ids no child held. Other messages (garbage, reports, control messages) go as they are.
 */
function asStray(message: unknown, items: number): unknown {
  let work
  try {
    work = parseTreeWorkMessage(message)
  } catch {
    return message
  }
  if (work?.type !== 'outcomes') return message
  return toWire({
    type: 'outcomes',
    outcomes: work.outcomes.map((outcome) => ({ ...outcome, id: items + outcome.id })),
  })
}
