import {
  CLOSE_DISCREDITED,
  CLOSE_INTERNAL_ERROR,
  CLOSE_MESSAGE_TOO_BIG,
  CLOSE_PROTOCOL_ERROR,
  CLOSE_RECONNECT,
  CLOSE_RUN_FINISHED,
  RUN_FINISHED_REASON,
  fitCloseReason,
  isProtocolError,
  MessageTooLargeError,
  MAX_VOLUNTEER_HELLO_CHARS,
  MAX_VOLUNTEER_MESSAGE_BYTES,
  MAX_VOLUNTEER_MESSAGE_CHARS,
  volunteerLabel,
  VOLUNTEER_HELLO_TIMEOUT_MS,
  parseVolunteerMessage,
  toWire,
  ProtocolError,
  VOLUNTEER_PROTOCOL_VERSION,
  type RootToVolunteer,
  type RunProgress,
  type VolunteerConfig,
} from '@pando/protocol'
import { Heartbeat } from '@pando/overlay'
import { lendToRemote, type BatchSize, type Lender, type RemoteBorrower } from '@pando/scheduler'
import { printInternalError } from '../exit.ts'
import type { ReportBoard } from '../monitoring/report-board.ts'
import type { BrowserMarks } from './browser-marks.ts'
import { processClock } from './process-clock.ts'
import type { VolunteerSocket } from './volunteer-socket.ts'

/**
 * A page silent for this many heartbeats is taken for frozen: it sends one every half heartbeat (every
 * second at most in a background tab, whose timers the browser slows), so three in a row are missing.
 * Checked every quarter heartbeat, a frozen page is dropped within two heartbeats.
 */
const SILENT_HEARTBEATS = 1.5
/** How often a page's silence is checked: every quarter heartbeat. */
const CHECKS_PER_HEARTBEAT = 4

export interface VolunteerSessionOptions {
  readonly lender: Lender
  readonly config: VolunteerConfig
  /** Jobs per message (and half of what a volunteer may hold), or `'auto'` to follow its speed. */
  readonly batchSize: BatchSize
  /** A unique id for the volunteer. */
  readonly volunteerId: string
  /** Where its status reports go. */
  readonly board: ReportBoard
  /**
   * The page sends a heartbeat every half of this; one silent for 1.5 times this (a frozen tab, whose
   * browser still answers WebSocket pings) is disconnected and its items lent again.
   */
  readonly heartbeatMs: number
  /** How long it may take to say hello, in ms. @default VOLUNTEER_HELLO_TIMEOUT_MS (10 s) */
  readonly helloTimeoutMs?: number
  /**
   * The browsers of the run (`--replicas`, `--spot-check`): a page whose browser was excluded for its results
   * is refused at its hello with `CLOSE_DISCREDITED`. @default every page is admitted, and given no mark
   */
  readonly marks?: BrowserMarks
  /** The volunteer said hello: with its label (`volunteerLabel`), its words, not yet safe for a terminal. */
  readonly onJoin?: (label: string) => void
  /**
   * A page was refused at its hello because its browser was excluded earlier in the run (told the first
   * time only): with its label and why the browser was excluded (`was outvoted on 3 items …: excluded`).
   */
  readonly onRefused?: (label: string, reason: string) => void
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

/**
 * Serves one volunteer's WebSocket (a real one, or one tunnelled from a remote `pando-server`): waits for
 * its `hello`, then lends it jobs from `lender` and hands its outcomes back. A malformed message, a wrong
 * protocol version or a second `hello` closes the connection with the reason; whatever the volunteer held
 * is lent again, and the root goes on.
 */
// eslint-disable-next-line max-lines-per-function -- issue 19: serveVolunteer is still to be split
export function serveVolunteer(socket: VolunteerSocket, options: VolunteerSessionOptions): ServedVolunteer {
  let borrower: RemoteBorrower | undefined
  let left = false
  const send = (message: RootToVolunteer): void => socket.send(JSON.stringify(toWire(message)))
  // The overlay's heartbeat, as every tree link's, from the hello on: checked every quarter heartbeat, a page
  // silent for more than SILENT_HEARTBEATS is given up (its timeout is one check more, as the heartbeat gives
  // up a peer silent for more than its timeout less one tick), and a check that comes a whole check late
  // (the root stalled, the page's heartbeats waiting unread in the socket) gives it a fresh interval. The
  // root sends nothing itself: the server's pings are its signs of life.
  const heartbeat = new Heartbeat(
    {
      timeoutMs: (SILENT_HEARTBEATS + 1 / CHECKS_PER_HEARTBEAT) * options.heartbeatMs,
      ticks: SILENT_HEARTBEATS * CHECKS_PER_HEARTBEAT + 1,
    },
    {
      clock: processClock,
      send: () => undefined,
      onTimeout: (silentMs) =>
        reject(
          `silent for ${Math.round(silentMs)} ms: the page sent no heartbeat (frozen or hung?)`,
          CLOSE_RECONNECT,
        ),
    },
  )
  /** The volunteer is gone (or sent away); `onLeave` hears it unless `quietly` (the run's end). */
  const leave = (reason: string, quietly = false): void => {
    if (left) return
    left = true
    clearTimeout(helloTimer)
    heartbeat.stop()
    borrower?.close(new Error(reason))
    options.board.remove(socket)
    if (borrower !== undefined && !quietly) options.onLeave?.(reason)
  }
  const reject = (reason: string, code = CLOSE_PROTOCOL_ERROR): void => {
    clearTimeout(helloTimer)
    send({ type: 'error', reason })
    socket.close(code, fitCloseReason(reason))
    leave(reason)
  }
  // A socket that never says hello holds a connection for nothing: it is closed.
  const helloTimer = setTimeout(
    () => reject(`no hello within ${VOLUNTEER_HELLO_TIMEOUT_MS / 1000} s`),
    options.helloTimeoutMs ?? VOLUNTEER_HELLO_TIMEOUT_MS,
  )
  helloTimer.unref()
  const handle = (text: string | undefined): void => {
    if (text === undefined) throw new ProtocolError('binary messages are not part of the protocol')
    // Until its hello, a volunteer may send only a small message: nothing larger is even parsed.
    const message = parseVolunteerMessage(
      text,
      borrower === undefined ? MAX_VOLUNTEER_HELLO_CHARS : MAX_VOLUNTEER_MESSAGE_BYTES,
    )
    if (message.type === 'hello') {
      if (borrower !== undefined) throw new ProtocolError('hello sent twice')
      if (message.protocolVersion !== VOLUNTEER_PROTOCOL_VERSION) {
        throw new ProtocolError(
          `this page speaks protocol ${message.protocolVersion}, the root ${VOLUNTEER_PROTOCOL_VERSION}: reload the page`,
        )
      }
      clearTimeout(helloTimer)
      // What people call it, on the terminal as on the dashboard (`Chrome · Linux · 3fa2`, or its chosen name).
      const label = volunteerLabel(message.deviceName, options.volunteerId)
      const admission = options.marks?.admit(options.volunteerId, message.browserMark)
      if (admission?.admitted === false) {
        if (admission.firstRefusal) options.onRefused?.(label, admission.reason)
        reject(`this browser was excluded earlier in this run: it ${admission.reason}`, CLOSE_DISCREDITED)
        return
      }
      send({
        type: 'welcome',
        volunteerId: options.volunteerId,
        config: options.config,
        ...(admission === undefined ? {} : { browserMark: admission.mark }),
      })
      const subStream = options.lender.lendStream({
        name: options.volunteerId,
        onDropped: (reason) => reject(`'${label}' ${reason.message}`, CLOSE_DISCREDITED),
        // Another volunteer waits idle: this one gives back what it has not started (a `return`).
        onRecall: (count) => send({ type: 'recall', count }),
      })
      // Its Workers (bounded by the hello's check) each start on an item before it answered any.
      borrower = lendToRemote(subStream, (jobs) => send({ type: 'jobs', jobs }), {
        batchSize: options.batchSize,
        workers: message.workers ?? 1,
        unprovenWorkers: message.workers ?? 1,
        maxMessageChars: MAX_VOLUNTEER_MESSAGE_CHARS,
        ...(socket.roundTripMs === undefined ? {} : { roundTrip: socket.roundTripMs }),
      })
      heartbeat.start()
      options.onJoin?.(label)
      return
    }
    if (borrower === undefined) throw new ProtocolError('the first message must be hello')
    if (message.type === 'outcomes') {
      borrower.receive(message.outcomes, message.msPerItem)
      options.board.countOutcomes(socket, message.outcomes.length)
    } else if (message.type === 'return') borrower.giveBack(message.ids)
    else if (message.type === 'status') {
      // Its place is the root's to say, not the page's: a volunteer cannot pose as another.
      const place = {
        id: options.volunteerId,
        transport: 'websocket',
        depth: 1,
        parent: null,
        children: 0,
      } as const
      options.board.update(socket, [{ ...message.report, ...place }])
      // Its volunteer may have changed its Workers since its hello, or paused it (no Worker then: credit
      // 0, it is lent nothing): the credit follows (what it earned by answering still bounds it).
      borrower.setWorkers(message.report.paused === true ? 0 : (message.report.workers ?? 1))
    }
  }

  socket.onMessage((text) => {
    if (left) return
    heartbeat.received()
    try {
      handle(text)
    } catch (error) {
      if (isProtocolError(error)) {
        const code = error.name === MessageTooLargeError.name ? CLOSE_MESSAGE_TOO_BIG : CLOSE_PROTOCOL_ERROR
        return reject(error.message, code)
      }
      // A bug here, not the volunteer's doing: said as such on stderr, and to the volunteer (which comes back).
      printInternalError(`taking a message from volunteer ${options.volunteerId}`, error)
      reject(ROOT_FAILED_REASON, CLOSE_INTERNAL_ERROR)
    }
  })
  socket.onClose((reason) => leave(reason))
  return {
    sendProgress: (progress) => {
      if (!left && borrower !== undefined) send({ type: 'progress', ...progress })
    },
    finish: () => {
      if (left) return
      leave(RUN_FINISHED_REASON, true)
      socket.close(CLOSE_RUN_FINISHED, RUN_FINISHED_REASON)
    },
  }
}
