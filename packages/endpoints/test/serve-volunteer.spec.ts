// How the root's side of a volunteer's WebSocket (`serveVolunteer`) tells a volunteer's fault (a message the
// protocol forbids: the volunteer is refused with the reason) from a bug of the root's own (reported on stderr
// as an internal error; the volunteer is told the root failed, not that it broke the protocol).
import {
  CLOSE_INTERNAL_ERROR,
  CLOSE_PROTOCOL_ERROR,
  CLOSE_RECONNECT,
  VOLUNTEER_PROTOCOL_VERSION,
  parseRootMessage,
  toWire,
  type Job,
} from '@pando/protocol'
import { createLender } from '@pando/scheduler'
import pull from 'pull-stream'
import { afterEach, describe, expect, it, onTestFinished, vi } from 'vitest'
import { ROOT_FAILED_REASON, serveVolunteer } from '../src/serve-volunteer.ts'
import type { VolunteerSocket } from '../src/volunteer-socket.ts'
import type { InternalErrorReporter } from '../src/root-components.ts'
import { internalErrors, TestBoard } from './util.ts'

/** The root's end of a volunteer's WebSocket, played by the test. */
class FakeSocket implements VolunteerSocket {
  /** What the root sent, as sent. */
  readonly sent: string[] = []
  closedWith: { code: number; reason: string } | undefined
  #onMessage: ((text: string | undefined) => void) | undefined
  #onClose: ((reason: string) => void) | undefined

  send(text: string): void {
    this.sent.push(text)
  }
  close(code: number, reason: string): void {
    this.closedWith ??= { code, reason }
    this.#onClose?.('disconnected')
  }
  onMessage(listener: (text: string | undefined) => void): void {
    this.#onMessage = listener
  }
  onClose(listener: (reason: string) => void): void {
    this.#onClose = listener
  }
  /** A frame from the volunteer. */
  deliver(message: unknown): void {
    this.#onMessage?.(typeof message === 'string' ? message : JSON.stringify(message))
  }
  /** The jobs the root lent so far. */
  jobs(): Job[] {
    return this.sent.flatMap((text) => {
      const message = parseRootMessage(text)
      return message.type === 'jobs' ? message.jobs : []
    })
  }
}

/** Serves one fake volunteer from a lender of 4 items; it has not said hello yet. */
function connectedVolunteer({
  board = new TestBoard(),
  heartbeatMs = 60_000,
  onInternalError = () => undefined,
  helloTimeoutMs,
}: {
  board?: TestBoard
  heartbeatMs?: number
  onInternalError?: InternalErrorReporter
  helloTimeoutMs?: number
} = {}): FakeSocket {
  const lender = createLender({ ordered: true, retries: 2 })
  pull(pull.values([1, 2, 3, 4].map((value, id): Job => ({ id, value: String(value) }))), lender.sink)
  pull(lender.source, pull.drain())
  const socket = new FakeSocket()
  const served = serveVolunteer(socket, {
    lender,
    config: { bundleUrl: '/run/bundle.js', moduleName: 'square' },
    batchSize: 2,
    volunteerId: 'v1',
    board,
    heartbeatMs,
    onInternalError,
    ...(helloTimeoutMs === undefined ? {} : { helloTimeoutMs }),
  })
  onTestFinished(() => served.finish())
  return socket
}

/** Serves one fake volunteer from a lender of 4 items, its board as given; says hello for it. */
function servedVolunteer(
  board: TestBoard,
  heartbeatMs = 60_000,
  onInternalError: InternalErrorReporter = () => undefined,
): FakeSocket {
  const socket = connectedVolunteer({ board, heartbeatMs, onInternalError })
  socket.deliver({ type: 'hello', protocolVersion: VOLUNTEER_PROTOCOL_VERSION, deviceName: 'test' })
  return socket
}

/** Lets the lender's pull-streams run. */
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

describe('serveVolunteer', () => {
  afterEach(() => vi.restoreAllMocks())

  it("refuses a volunteer's malformed message as its fault, with the reason, and reports no bug", async () => {
    const bugs = internalErrors()
    const socket = servedVolunteer(new TestBoard(), 60_000, bugs.report)
    await settle()
    socket.deliver('{not json')
    expect(socket.closedWith).toEqual({ code: CLOSE_PROTOCOL_ERROR, reason: 'message is not JSON' })
    expect(parseRootMessage(socket.sent.at(-1) ?? '')).toEqual({
      type: 'error',
      reason: 'message is not JSON',
    })
    expect(bugs.seen).toEqual([])
  })

  it('reports a bug of its own as an internal error, and tells the volunteer the root failed', async () => {
    const bugs = internalErrors()
    const board = new TestBoard()
    vi.spyOn(board, 'countOutcomes').mockImplementation(() => {
      throw new TypeError('a bug in the board')
    })
    const socket = servedVolunteer(board, 60_000, bugs.report)
    await settle()
    const jobs = socket.jobs()
    expect(jobs.length).toBeGreaterThan(0)
    socket.deliver(
      toWire({
        type: 'outcomes',
        outcomes: jobs.map((job) => ({ id: job.id, ok: true, result: String(Number(job.value) ** 2) })),
      }),
    )
    expect(socket.closedWith).toEqual({ code: CLOSE_INTERNAL_ERROR, reason: ROOT_FAILED_REASON })
    expect(parseRootMessage(socket.sent.at(-1) ?? '')).toEqual({ type: 'error', reason: ROOT_FAILED_REASON })
    expect(bugs.seen).toEqual([['taking a message from volunteer v1', new TypeError('a bug in the board')]])
  })

  describe('the link, watched as a tree link is (the overlay Link)', () => {
    /** A short heartbeat, so that the tests take a few of them. */
    const HEARTBEAT_MS = 200
    const heartbeatsSent = (socket: FakeSocket) =>
      socket.sent.map((text) => parseRootMessage(text)).filter((message) => message.type === 'heartbeat')

    it('gives a silent page up within the heartbeat, with CLOSE_RECONNECT and how long it was silent', async () => {
      const socket = servedVolunteer(new TestBoard(), HEARTBEAT_MS)
      await expect.poll(() => socket.closedWith, { timeout: 10 * HEARTBEAT_MS }).toBeDefined()
      expect(socket.closedWith?.code).toBe(CLOSE_RECONNECT)
      expect(socket.closedWith?.reason).toMatch(
        /^silent for \d+ ms: the page sent no heartbeat \(frozen or hung\?\)$/,
      )
    })

    it("answers a page's measuring heartbeats with its own, echoing the page's time and how long it kept it", async () => {
      const socket = servedVolunteer(new TestBoard(), HEARTBEAT_MS)
      socket.deliver({ type: 'heartbeat', sentAt: 1234.5 })
      await expect
        .poll(() => heartbeatsSent(socket).length, { timeout: 10 * HEARTBEAT_MS })
        .toBeGreaterThan(0)
      const [first] = heartbeatsSent(socket)
      expect(first).toMatchObject({ type: 'heartbeat', echo: 1234.5 })
      expect(first?.type === 'heartbeat' && first.heldMs !== undefined && first.heldMs >= 0).toBe(true)
      expect(first?.type === 'heartbeat' && typeof first.sentAt === 'number').toBe(true)
      expect(socket.closedWith).toBeUndefined()
    })

    it('sends no heartbeat to a page whose own are bare (an older page), and keeps it while it sends them', async () => {
      const socket = servedVolunteer(new TestBoard(), HEARTBEAT_MS)
      for (let i = 0; i < 10; i++) {
        socket.deliver({ type: 'heartbeat' })
        await new Promise((resolve) => setTimeout(resolve, HEARTBEAT_MS / 4))
      }
      expect(heartbeatsSent(socket)).toEqual([])
      expect(socket.closedWith).toBeUndefined()
    })

    it('refuses a heartbeat whose echo comes without heldMs', async () => {
      const socket = servedVolunteer(new TestBoard())
      socket.deliver({ type: 'heartbeat', sentAt: 1, echo: 2 })
      expect(socket.closedWith).toEqual({
        code: CLOSE_PROTOCOL_ERROR,
        reason: 'heartbeat.echo and heartbeat.heldMs come together',
      })
    })
  })

  it('closes a socket that says no hello within its time, and says how long it waited', async () => {
    const socket = connectedVolunteer({ helloTimeoutMs: 50 })
    await expect
      .poll(() => socket.closedWith)
      .toEqual({ code: CLOSE_PROTOCOL_ERROR, reason: 'no hello within 0.05 s' })
  })
})
