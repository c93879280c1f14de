import {
  CLOSE_RECONNECT,
  VOLUNTEER_PROTOCOL_VERSION,
  parseRootMessage,
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
 * report every reporting interval. The interval and the item deadline come from `run/config.json`, read
 * before connecting, else the defaults.
 *
 * The close says what comes next (see `closeMeaning`): `CLOSE_RUN_FINISHED` means the run is finished
 * (the page says so, and comes back quietly in case another run starts at the same address); a
 * `pando-server` without a root makes it wait for a run; a refusal shows the root's reason; anything else is
 * a lost link, rejoined quietly.
 */
// eslint-disable-next-line max-lines-per-function -- issue 19: startWebSocketVolunteer is still to be split
export function startWebSocketVolunteer(page: VolunteerPage, url: string): void {
  const view = page.view
  let session: WorkerPool | undefined
  let volunteerId: string | undefined
  let welcomedOnce = false
  /** The root's reason in an `error` message, shown if the close that follows is a refusal. */
  let refusal: string | undefined
  let itemTimeoutMs = DEFAULT_ITEM_TIMEOUT
  let itemTimeoutPercent: number | undefined
  view.setTransport('WebSocket')
  view.setPosition(undefined, undefined)
  view.setChildren(0)

  const connection = new Connection(url, {
    onOpen: () => {
      const browserMark = page.browserMark
      connection.send({
        type: 'hello',
        protocolVersion: VOLUNTEER_PROTOCOL_VERSION,
        deviceName: page.deviceName,
        workers: page.workers,
        ...(browserMark === undefined ? {} : { browserMark }),
      })
    },
    onMessage: (data) => {
      let message: RootToVolunteer
      try {
        message = parseRootMessage(data)
      } catch (error) {
        view.showMessage(`The root sent a message this page does not understand (${String(error)}).`)
        connection.reconnect(CLOSE_RECONNECT, 'protocol error')
        return
      }
      handle(message)
    },
    onClose: ({ code, reason }) => {
      session?.close()
      session = undefined
      volunteerId = undefined
      view.setVolunteerId(undefined)
      view.setPosition(undefined, undefined)
      const meaning = closeMeaning(code, reason)
      if (meaning === 'finished') {
        page.finish()
      } else if (meaning === 'no-run') {
        page.setPhase('waiting-for-run')
      } else {
        if (meaning === 'refused') view.showMessage(`The root closed the connection: ${refusal ?? reason}`)
        page.setPhase(welcomedOnce ? 'reconnecting' : 'joining')
      }
      refusal = undefined
    },
  })

  /** Outcomes go up in groups; the Worker's own time per item, with the last (alone if there are none). */
  const sendOutcomes = (outcomes: Outcome[], msPerItem?: number): void => {
    const groups = packOutcomes(outcomes)
    if (groups.length === 0 && msPerItem !== undefined) groups.push([])
    groups.forEach((group, i) => {
      const last = i === groups.length - 1 && msPerItem !== undefined
      connection.send(
        last ? { type: 'outcomes', outcomes: group, msPerItem } : { type: 'outcomes', outcomes: group },
      )
    })
  }

  /** Gives jobs back to the root (a `recall` answered, or a pause), an empty list included. */
  const sendReturn = (jobs: readonly Job[]): void => {
    connection.send({ type: 'return', ids: jobs.map((job) => job.id) })
  }

  // A report is built only when it can be sent (welcomed), and covers the time since the previous one.
  const sendStatus = (): void => {
    if (session === undefined || volunteerId === undefined) return
    const place = {
      id: volunteerId,
      depth: 1,
      parent: null,
      children: 0,
      transport: 'websocket',
      inFlight: session.held,
    } as const
    connection.send({ type: 'status', report: page.buildReport(place) })
  }

  function handle(message: RootToVolunteer): void {
    switch (message.type) {
      case 'welcome':
        session?.close()
        connection.resetBackoff()
        welcomedOnce = true
        volunteerId = message.volunteerId
        if (message.browserMark !== undefined) page.rememberBrowserMark(message.browserMark)
        page.setModuleName(message.config.moduleName)
        view.setVolunteerId(message.volunteerId)
        // A WebSocket volunteer is a child of the root, whose id it is not told.
        view.setPosition(1, undefined)
        session = page.startWorkers(
          {
            bundleUrl: withPageToken(message.config.bundleUrl, location.href),
            itemTimeoutMs,
            itemTimeoutPercent,
          },
          sendOutcomes,
          // A pause gives back what no Worker started: the root lends it to others at once.
          sendReturn,
        )
        // Paused already: the root hears it before it lends (what it lent meanwhile comes back).
        if (page.paused) sendStatus()
        break
      case 'jobs':
        if (session === undefined) {
          view.showMessage('The root sent jobs before its welcome.')
          connection.reconnect(CLOSE_RECONNECT, 'jobs before welcome')
        } else {
          session.add(message.jobs)
        }
        break
      case 'recall':
        // Only jobs not started yet go back; what the Worker runs goes on to its outcomes.
        if (session !== undefined) sendReturn(session.recall(message.count))
        break
      case 'progress':
        page.setRunProgress(message)
        break
      case 'error':
        refusal = message.reason
        break
    }
  }

  // A pause is told at once, before what the Workers hand back: the root counts no Worker of this tab (its
  // credit is 0), so it lends the returned items to others, not back here; a resume, so it lends again.
  page.onPauseChange(() => sendStatus())

  // The page's own sign of life: the browser answers WebSocket pings even when this page is frozen.
  const sendHeartbeat = (): void => {
    if (session !== undefined) connection.send({ type: 'heartbeat' })
  }

  void fetchWebSocketSettings(location.href).then((settings) => {
    itemTimeoutMs = settings.itemTimeoutMs
    itemTimeoutPercent = settings.itemTimeoutPercent
    if (settings.moduleName !== undefined) page.setModuleName(settings.moduleName)
    if (settings.bundleUrl !== undefined) page.prestartWorker(settings.bundleUrl)
    connection.start()
    setInterval(sendStatus, settings.reportingIntervalMs)
    setInterval(sendHeartbeat, settings.heartbeatMs / 2)
  })
}
