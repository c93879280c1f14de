import {
  CLOSE_DISCREDITED,
  CLOSE_EXCLUDED,
  CLOSE_INTERNAL_ERROR,
  CLOSE_MESSAGE_TOO_BIG,
  CLOSE_PROTOCOL_ERROR,
  CLOSE_RECONNECT,
  CLOSE_RUN_FINISHED,
  RUN_FINISHED_REASON,
  isProtocolError,
  Link,
  MessageTooLargeError,
  MAX_VOLUNTEER_HELLO_CHARS,
  MAX_VOLUNTEER_MESSAGE_BYTES,
  MAX_VOLUNTEER_MESSAGE_CHARS,
  volunteerLabel,
  VOLUNTEER_HELLO_TIMEOUT_MS,
  parseVolunteerMessage,
  ProtocolError,
  VOLUNTEER_PROTOCOL_VERSION,
  webSocketLinkTimeoutMs,
  type RootToVolunteer,
  type RunProgress,
  type VolunteerConfig,
  type VolunteerToRoot,
} from '@pando/protocol'
import { isExclusion, lendToRemote, type BatchSize, type Lender, type RemoteBorrower } from '@pando/scheduler'
import type { BrowserMarks } from './browser-marks.ts'
import { processClock } from '@pando/server'
import type { InternalErrorReporter, ReportSink } from './root-components.ts'
import { VolunteerChannel } from './volunteer-channel.ts'
import type { VolunteerSocket } from './volunteer-socket.ts'

export interface ServeVolunteerOptions {
  readonly lender: Lender
  readonly config: VolunteerConfig
  /** Jobs per message (and half of what a volunteer may hold), or `'auto'` to follow its speed. */
  readonly batchSize: BatchSize
  /** A unique id for the volunteer. */
  readonly volunteerId: string
  /** Where its status reports go. */
  readonly board: ReportSink
  /** Told of a bug of the root's own while it took the volunteer's message (the volunteer is closed, and told). */
  readonly onInternalError: InternalErrorReporter
  /**
   * The run's heartbeat. The link is watched as a tree link is (the protocol's `Link`), at
   * `webSocketLinkTimeoutMs(heartbeatMs)`: both ends send one every half of this, and a page silent for more
   * than one and a half of it at a tick (a frozen tab, whose browser still answers WebSocket pings) is
   * disconnected within two and its items lent again.
   */
  readonly heartbeatMs: number
  /** How long it may take to say hello, in ms. @default VOLUNTEER_HELLO_TIMEOUT_MS (10 s) */
  readonly helloTimeoutMs?: number
  /**
   * The browsers of the run (`--replicas`, `--spot-check`): a page whose browser was excluded for its results
   * is refused at its hello with `CLOSE_EXCLUDED`. @default every page is admitted, and given no mark
   */
  readonly marks?: BrowserMarks
  /** The volunteer said hello: with its label (`volunteerLabel`), its words, not yet safe for a terminal. */
  readonly onJoin?: (label: string) => void
  /**
   * A page was refused at its hello because its browser was excluded earlier in the run (told the first
   * time only): with its label and why the browser was excluded (`was outvoted on 3 items …: excluded`).
   */
  readonly onRefused?: (label: string, reason: string) => void
  /** The volunteer left (or was sent away), for `reason`: maybe its own words. */
  readonly onLeave?: (reason: string) => void
}

/** What the root can tell a volunteer it serves, whatever it is doing. */
export interface ServedVolunteer {
  /** Passes the run's progress on, once the volunteer is welcomed. */
  sendProgress(progress: RunProgress): void
  /**
   * The run is over: closes the connection with `CLOSE_RUN_FINISHED`, so the page stops instead of coming
   * back. Not a leave to report: `onLeave` is not called.
   */
  finish(): void
}

/** What a volunteer is told when the root failed on its message: a bug of the root's, not the volunteer's fault. */
export const ROOT_FAILED_REASON =
  "the root failed on this page's message (an internal error: see the root's terminal)"

/** What a page silent too long is told (and the root's terminal says when it leaves). */
const silentReason = (silentMs: number): string =>
  `silent for ${String(Math.round(silentMs))} ms: the page sent no heartbeat (frozen or hung?)`

/**
 * Serves one volunteer's WebSocket (a real one, or one tunnelled from a remote `pando-server`): waits for
 * its `hello`, then lends it jobs from `lender` and hands its outcomes back. A malformed message, a wrong
 * protocol version or a second `hello` closes the connection with the reason; whatever the volunteer held
 * is lent again, and the root goes on. From the hello on, the link is watched as a tree link is (the
 * protocol's `Link` over a {@link VolunteerChannel}): its heartbeats give a silent page up within
 * `heartbeatMs`, excuse a root whose own thread stalled, and measure the round trip the lending covers.
 */
export function serveVolunteer(socket: VolunteerSocket, options: ServeVolunteerOptions): ServedVolunteer {
  const service = new VolunteerService(socket, options)
  return { sendProgress: (progress) => service.sendProgress(progress), finish: () => service.finish() }
}

/** One volunteer's service, from its socket's opening to its leaving (see {@link serveVolunteer}). */
class VolunteerService {
  readonly #socket: VolunteerSocket
  readonly #options: ServeVolunteerOptions
  readonly #channel: VolunteerChannel
  readonly #helloTimer: ReturnType<typeof setTimeout>
  #borrower: RemoteBorrower | undefined
  #roundTripMs = 0
  #left = false

  constructor(socket: VolunteerSocket, options: ServeVolunteerOptions) {
    this.#socket = socket
    this.#options = options
    this.#channel = new VolunteerChannel(socket)
    // A socket that never says hello holds a connection for nothing: it is closed.
    const helloTimeoutMs = options.helloTimeoutMs ?? VOLUNTEER_HELLO_TIMEOUT_MS
    this.#helloTimer = setTimeout(
      () => this.#reject(`no hello within ${String(helloTimeoutMs / 1000)} s`),
      helloTimeoutMs,
    )
    this.#helloTimer.unref()
    socket.onMessage((text) => this.#frame(text))
    socket.onClose((reason) => this.#leave(reason))
  }

  /** Passes the run's progress on, once the volunteer is welcomed. */
  sendProgress(progress: RunProgress): void {
    if (!this.#left && this.#borrower !== undefined) this.#send({ type: 'progress', ...progress })
  }

  /** The run is over: closes with `CLOSE_RUN_FINISHED`, so the page stops instead of coming back. */
  finish(): void {
    if (this.#left) return
    this.#leave(RUN_FINISHED_REASON, true)
    this.#channel.close(CLOSE_RUN_FINISHED, RUN_FINISHED_REASON)
  }

  #send(message: RootToVolunteer): void {
    if (this.#channel.state === 'open') this.#channel.send(message)
  }

  /** The volunteer is gone (or sent away); `onLeave` hears it unless `quietly` (the run's end). */
  #leave(reason: string, quietly = false): void {
    if (this.#left) return
    this.#left = true
    clearTimeout(this.#helloTimer)
    this.#borrower?.close(new Error(reason))
    this.#options.board.remove(this.#socket)
    if (this.#borrower !== undefined && !quietly) this.#options.onLeave?.(reason)
  }

  #reject(reason: string, code = CLOSE_PROTOCOL_ERROR): void {
    clearTimeout(this.#helloTimer)
    this.#send({ type: 'error', reason })
    // Through the channel, so that the link lets go of it (its heartbeat stops) and sends nothing more.
    this.#channel.close(code, reason)
    this.#leave(reason)
  }

  /** One frame of the volunteer's: parsed, heard by the link (a sign of life, maybe a round trip), handled. */
  #frame(text: string | undefined): void {
    if (this.#left) return
    try {
      if (text === undefined) throw new ProtocolError('binary messages are not part of the protocol')
      // Until its hello, a volunteer may send only a small message: nothing larger is even parsed.
      const message = parseVolunteerMessage(
        text,
        this.#borrower === undefined ? MAX_VOLUNTEER_HELLO_CHARS : MAX_VOLUNTEER_MESSAGE_BYTES,
      )
      this.#channel.deliver(message)
      this.#handle(message)
    } catch (error) {
      if (isProtocolError(error)) {
        const code = error.name === MessageTooLargeError.name ? CLOSE_MESSAGE_TOO_BIG : CLOSE_PROTOCOL_ERROR
        this.#reject(error.message, code)
        return
      }
      // A bug here, not the volunteer's doing: said as such on stderr, and to the volunteer (which comes back).
      this.#options.onInternalError(`taking a message from volunteer ${this.#options.volunteerId}`, error)
      this.#reject(ROOT_FAILED_REASON, CLOSE_INTERNAL_ERROR)
    }
  }

  #handle(message: VolunteerToRoot): void {
    if (message.type === 'hello') return this.#hello(message)
    const borrower = this.#borrower
    if (borrower === undefined) throw new ProtocolError('the first message must be hello')
    if (message.type === 'outcomes') {
      borrower.receive(message.outcomes, message.msPerItem)
      this.#options.board.countOutcomes(this.#socket, message.outcomes.length)
    } else if (message.type === 'return') borrower.giveBack(message.ids)
    else if (message.type === 'status') {
      // Its place is the root's to say, not the page's: a volunteer cannot pose as another.
      const place = {
        id: this.#options.volunteerId,
        transport: 'websocket',
        depth: 1,
        parent: null,
        children: 0,
      } as const
      this.#options.board.update(this.#socket, [{ ...message.report, ...place }])
      // Its volunteer may have changed its Workers since its hello, or paused it (no Worker then: credit
      // 0, it is lent nothing): the credit follows (what it earned by answering still bounds it).
      borrower.setWorkers(message.report.paused === true ? 0 : (message.report.workers ?? 1))
    }
  }

  #hello(message: Extract<VolunteerToRoot, { type: 'hello' }>): void {
    const options = this.#options
    if (this.#borrower !== undefined) throw new ProtocolError('hello sent twice')
    if (message.protocolVersion !== VOLUNTEER_PROTOCOL_VERSION) {
      throw new ProtocolError(
        `this page speaks protocol ${String(message.protocolVersion)}, the root ${String(VOLUNTEER_PROTOCOL_VERSION)}: reload the page`,
      )
    }
    clearTimeout(this.#helloTimer)
    // What people call it, on the terminal as on the dashboard (`Chrome · Linux · 3fa2`, or its chosen name).
    const label = volunteerLabel(message.deviceName, options.volunteerId)
    const admission = options.marks?.admit(options.volunteerId, message.browserMark)
    if (admission?.admitted === false) {
      if (admission.firstRefusal) options.onRefused?.(label, admission.reason)
      this.#reject(`this browser was excluded earlier in this run: it ${admission.reason}`, CLOSE_EXCLUDED)
      return
    }
    this.#send({
      type: 'welcome',
      volunteerId: options.volunteerId,
      config: options.config,
      ...(admission === undefined ? {} : { browserMark: admission.mark }),
    })
    this.#borrower = this.#lend(label, message.workers ?? 1)
    // The link lets go of the channel when it closes, whoever closed it.
    new Link(this.#channel, processClock, webSocketLinkTimeoutMs(options.heartbeatMs), {
      message: () => undefined,
      closed: () => undefined,
      silent: (_, silentMs) => this.#reject(silentReason(silentMs), CLOSE_RECONNECT),
      roundTrip: (ms) => (this.#roundTripMs = ms),
    })
    options.onJoin?.(label)
  }

  /** Lends to the volunteer, whose Workers (bounded by the hello's check) each start on an item at once. */
  #lend(label: string, workers: number): RemoteBorrower {
    const options = this.#options
    const subStream = options.lender.lendStream({
      name: options.volunteerId,
      // Excluded for its results, or dropped for failing far more items than the others.
      onDropped: (reason) =>
        this.#reject(
          `'${label}' ${reason.message}`,
          isExclusion(reason) ? CLOSE_EXCLUDED : CLOSE_DISCREDITED,
        ),
      // Another volunteer waits idle: this one gives back what it has not started (a `return`).
      onRecall: (count) => this.#send({ type: 'recall', count }),
    })
    return lendToRemote(subStream, (jobs) => this.#send({ type: 'jobs', jobs }), {
      batchSize: options.batchSize,
      workers,
      unprovenWorkers: workers,
      maxMessageChars: MAX_VOLUNTEER_MESSAGE_CHARS,
      roundTrip: () => this.#roundTripMs,
    })
  }
}
