import { once } from 'node:events'
import { parseRootMessage, toWire, type Outcome } from '@pando/protocol'
import { WebSocket } from 'ws'
import { serverUrl, type PrintedServer } from '../../harness/pando-process.ts'

/** A message from the root to a volunteer, as a test reads it. */
export interface VolunteerReceived {
  readonly type: string
  readonly jobs?: { id: number; value: string }[]
  readonly reason?: string
  /** A `welcome`'s mark for this browser. */
  readonly browserMark?: string
}

/**
 * How often a fake volunteer sends its heartbeat: more often than a page does (every half heartbeat), for
 * the shortest `--heartbeat` the tests give (200 ms; the root gives up a page silent for one and a half).
 */
const HEARTBEAT_EVERY_MS = 50

/** A volunteer played by the test over the real WebSocket protocol (`/volunteer`), without a browser. */
export class FakeVolunteer {
  readonly #heartbeat: boolean
  readonly socket: WebSocket
  readonly received: VolunteerReceived[] = []
  /** How its socket closed, once it has: the code and the reason. */
  readonly closing: Promise<{ readonly code: number; readonly reason: string }>

  /**
   * `autoPong: false`: its socket answers no ping (a lost network). `heartbeat: false`: it sends none of the
   * page's own heartbeats once joined (a frozen page, whose browser still answers pings). `answer`: it
   * answers every batch of jobs at once with what this gives for each job (an honest volunteer, or one that
   * fails everything); without it, it answers nothing unless the test does.
   */
  constructor(
    server: PrintedServer,
    options: {
      autoPong?: boolean
      heartbeat?: boolean
      answer?: (job: { id: number; value: string }) => Outcome
    } = {},
  ) {
    this.socket = new WebSocket(serverUrl(server, '/volunteer', 'ws'), { autoPong: options.autoPong ?? true })
    this.#heartbeat = options.heartbeat ?? true
    this.closing = once(this.socket, 'close').then(([code, reason]) => ({
      code: code as number,
      reason: String(reason),
    }))
    // A socket the root cuts may fail before it closes; 'close' follows, which is what tests look at.
    this.socket.on('error', () => undefined)
    const answer = options.answer
    this.socket.on('message', (data) => {
      const message = parseRootMessage(String(data)) as VolunteerReceived
      this.received.push(message)
      if (answer !== undefined && message.jobs !== undefined && this.socket.readyState === WebSocket.OPEN)
        this.sendOutcomes(message.jobs.map(answer))
    })
  }

  /**
   * Waits for the socket to open, then says hello (with the `browserMark` a page kept, if given), and sends
   * heartbeats as a page does.
   */
  async join(protocolVersion = 1, deviceName = 'fake', browserMark?: string): Promise<void> {
    await once(this.socket, 'open')
    const mark = browserMark === undefined ? {} : { browserMark }
    this.socket.send(JSON.stringify({ type: 'hello', protocolVersion, deviceName, ...mark }))
    if (!this.#heartbeat) return
    const timer = setInterval(() => {
      if (this.socket.readyState === WebSocket.OPEN) this.socket.send('{"type":"heartbeat"}')
    }, HEARTBEAT_EVERY_MS)
    this.socket.on('close', () => clearInterval(timer))
  }

  /** Sends outcomes, as a page does (in columns: `toWire`). */
  sendOutcomes(outcomes: readonly Outcome[]): void {
    if (this.socket.readyState !== WebSocket.OPEN) return
    this.socket.send(JSON.stringify(toWire({ type: 'outcomes', outcomes })))
  }

  /**
   * Answers every job it receives from now on with `answer` (`undefined` keeps the job unanswered), as a
   * page does: in `outcomes` messages of at most `maxChars` characters of results, one per turn of the
   * event loop, so that its heartbeats go out between them however large the results are.
   */
  answerJobs(
    answer: (job: { id: number; value: string }) => Outcome | undefined,
    maxChars = 4_000_000,
  ): void {
    const queue: { id: number; value: string }[] = []
    let sending = false
    const sendSome = (): void => {
      const batch: Outcome[] = []
      let chars = 0
      while (queue.length > 0 && chars < maxChars) {
        const outcome = answer(queue.shift() as { id: number; value: string })
        if (outcome === undefined) continue
        batch.push(outcome)
        chars += outcome.ok ? outcome.result.length : 100
      }
      if (batch.length > 0) this.sendOutcomes(batch)
      sending = queue.length > 0
      if (sending) setImmediate(sendSome)
    }
    this.socket.on('message', (data) => {
      const message = parseRootMessage(String(data))
      if (message.type !== 'jobs') return
      queue.push(...message.jobs)
      if (!sending) {
        sending = true
        setImmediate(sendSome)
      }
    })
  }

  /** The browser mark its `welcome` gave, once welcomed (a run that judges results gives one). */
  welcomeMark(): string | undefined {
    return this.received.find((message) => message.type === 'welcome')?.browserMark
  }

  /** Jobs received so far. */
  jobs(): { id: number; value: string }[] {
    return this.received.flatMap((message) => message.jobs ?? [])
  }

  jobsReceived(): number {
    return this.jobs().length
  }

  /** Resolves with the close code once the socket has closed. */
  async closed(): Promise<number> {
    return (await this.closing).code
  }
}
