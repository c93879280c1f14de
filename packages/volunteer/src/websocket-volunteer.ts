import {
  CLOSE_RECONNECT,
  VOLUNTEER_PROTOCOL_VERSION,
  type Job,
  type Outcome,
  type RootToVolunteer,
  withPageToken,
} from '@pando/protocol'
import { Connection } from './connection.ts'
import { DEFAULT_ITEM_TIMEOUT } from './constants.ts'
import { packOutcomes } from './outcome-batches.ts'
import { closeMeaning } from './page-state.ts'
import { fetchWebSocketSettings } from './run-config.ts'
import type { VolunteerPage } from './volunteer-page.ts'
import type { WorkerPool } from './worker-pool.ts'

/**
 * The WebSocket transport (`#protocol=websocket`, or the fallback): the tab is a direct child of the root
 * on `/volunteer`, says hello, and runs the jobs it is lent in its Worker. It comes back by itself when the
 * connection drops; jobs held then are dropped (the root lends them again). Once welcomed, it sends its status
 * report every reporting interval. The interval, the link's heartbeat and the item deadline come from
 * `run/config.json`, read before connecting, else the defaults.
 *
 * The close says what comes next (see `closeMeaning`): `CLOSE_RUN_FINISHED` means the run is finished
 * (the page says so, and comes back quietly in case another run starts at the same address); a
 * `pando-server` without a root makes it wait for a run; a refusal shows the root's reason; anything else is
 * a lost link, rejoined quietly.
 */
export function startWebSocketVolunteer(page: VolunteerPage, url: string): void {
  const volunteer = new WebSocketVolunteer(page, url)
  page.onPauseChange(() => volunteer.sendStatus())
  void fetchWebSocketSettings(location.href).then((settings) => {
    volunteer.itemTimeoutMs = settings.itemTimeoutMs
    volunteer.itemTimeoutPercent = settings.itemTimeoutPercent
    if (settings.moduleName !== undefined) page.setModuleName(settings.moduleName)
    if (settings.bundleUrl !== undefined) page.prestartWorker(settings.bundleUrl)
    volunteer.connection.start(settings.heartbeatMs)
    setInterval(() => volunteer.sendStatus(), settings.reportingIntervalMs)
  })
}

/** One tab's life on the WebSocket transport (see {@link startWebSocketVolunteer}). */
class WebSocketVolunteer {
  readonly connection: Connection
  itemTimeoutMs = DEFAULT_ITEM_TIMEOUT
  itemTimeoutPercent: number | undefined
  readonly #page: VolunteerPage
  #pool: WorkerPool | undefined
  #volunteerId: string | undefined
  #welcomedOnce = false
  /** The root's reason in an `error` message, shown if the close that follows is a refusal. */
  #refusal: string | undefined

  constructor(page: VolunteerPage, url: string) {
    this.#page = page
    page.view.setTransport('WebSocket')
    page.view.setPosition(undefined, undefined)
    page.view.setChildren(0)
    this.connection = new Connection(url, {
      onOpen: () => this.#hello(),
      onMessage: (message) => this.#handle(message),
      onProtocolError: (error) =>
        page.view.showMessage(`The root sent a message this page does not understand (${String(error)}).`),
      onClose: ({ code, reason }) => this.#closed(code, reason),
    })
  }

  /**
   * Its status report, once welcomed, covering the time since the previous one. Also told at once on a pause,
   * before what the Workers hand back: the root counts no Worker of this tab (its credit is 0), so it lends
   * the returned items to others, not back here; and on a resume, so it lends again.
   */
  sendStatus(): void {
    if (this.#pool === undefined || this.#volunteerId === undefined) return
    const place = {
      id: this.#volunteerId,
      depth: 1,
      parent: null,
      children: 0,
      transport: 'websocket',
      inFlight: this.#pool.held,
    } as const
    this.connection.send({ type: 'status', report: this.#page.buildReport(place) })
  }

  #hello(): void {
    const browserMark = this.#page.browserMark
    this.connection.send({
      type: 'hello',
      protocolVersion: VOLUNTEER_PROTOCOL_VERSION,
      deviceName: this.#page.deviceName,
      workers: this.#page.workers,
      ...(browserMark === undefined ? {} : { browserMark }),
    })
  }

  #closed(code: number, reason: string): void {
    const { view } = this.#page
    this.#pool?.close()
    this.#pool = undefined
    this.#volunteerId = undefined
    view.setVolunteerId(undefined)
    view.setPosition(undefined, undefined)
    const meaning = closeMeaning(code, reason)
    if (meaning === 'finished') {
      this.#page.finish()
    } else if (meaning === 'excluded') {
      this.#page.exclude(this.#refusal ?? reason)
    } else if (meaning === 'no-run') {
      this.#page.setPhase('waiting-for-run')
    } else {
      if (meaning === 'refused')
        view.showMessage(`The root closed the connection: ${this.#refusal ?? reason}`)
      this.#page.setPhase(this.#welcomedOnce ? 'reconnecting' : 'joining')
    }
    this.#refusal = undefined
  }

  #handle(message: RootToVolunteer): void {
    switch (message.type) {
      case 'welcome':
        return this.#welcome(message)
      case 'jobs':
        if (this.#pool !== undefined) return this.#pool.add(message.jobs)
        this.#page.view.showMessage('The root sent jobs before its welcome.')
        return this.connection.reconnect(CLOSE_RECONNECT, 'jobs before welcome')
      case 'recall':
        // Only jobs not started yet go back; what the Worker runs goes on to its outcomes.
        if (this.#pool !== undefined) this.#sendReturn(this.#pool.recall(message.count))
        return
      case 'progress':
        return this.#page.setRunProgress(message)
      case 'error':
        this.#refusal = message.reason
        return
      case 'heartbeat':
        // The link heard it already (a sign of life, the time to echo): nothing more to do.
        return
    }
  }

  #welcome(message: Extract<RootToVolunteer, { type: 'welcome' }>): void {
    const page = this.#page
    this.#pool?.close()
    this.connection.resetBackoff()
    this.#welcomedOnce = true
    this.#volunteerId = message.volunteerId
    if (message.browserMark !== undefined) page.rememberBrowserMark(message.browserMark)
    page.setModuleName(message.config.moduleName)
    page.view.setVolunteerId(message.volunteerId)
    // A WebSocket volunteer is a child of the root, whose id it is not told.
    page.view.setPosition(1, undefined)
    this.#pool = page.startWorkers(
      {
        bundleUrl: withPageToken(message.config.bundleUrl, location.href),
        itemTimeoutMs: this.itemTimeoutMs,
        itemTimeoutPercent: this.itemTimeoutPercent,
      },
      (outcomes, msPerItem) => this.#sendOutcomes(outcomes, msPerItem),
      // A pause gives back what no Worker started: the root lends it to others at once.
      (jobs) => this.#sendReturn(jobs),
    )
    // Paused already: the root hears it before it lends (what it lent meanwhile comes back).
    if (page.paused) this.sendStatus()
  }

  /** Outcomes go up in groups; the Worker's own time per item, with the last (alone if there are none). */
  #sendOutcomes(outcomes: Outcome[], msPerItem?: number): void {
    const groups = packOutcomes(outcomes)
    if (groups.length === 0 && msPerItem !== undefined) groups.push([])
    groups.forEach((group, i) => {
      const last = i === groups.length - 1 && msPerItem !== undefined
      this.connection.send(
        last ? { type: 'outcomes', outcomes: group, msPerItem } : { type: 'outcomes', outcomes: group },
      )
    })
  }

  /** Gives jobs back to the root (a `recall` answered, or a pause), an empty list included. */
  #sendReturn(jobs: readonly Job[]): void {
    this.connection.send({ type: 'return', ids: jobs.map((job) => job.id) })
  }
}
