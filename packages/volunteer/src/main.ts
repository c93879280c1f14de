// The volunteer page: joins the root over a WebSocket, runs the lent jobs in a Worker, sends back outcomes,
// and shows what it does. It comes back by itself when the connection drops.
import {
  VOLUNTEER_PROTOCOL_VERSION,
  parseRootMessage,
  type Outcome,
  type RootToVolunteer,
} from '@pando/protocol'
import { Connection } from './connection.ts'
import { VIEW_REFRESH_INTERVAL, VOLUNTEER_PATH } from './constants.ts'
import {
  cleanDeviceName,
  deviceNameFromHash,
  hashWithDeviceName,
  rememberDeviceName,
  resolveDeviceName,
  type NameStorage,
} from './device-name.ts'
import { packOutcomes } from './outcome-batches.ts'
import { StatusView } from './status-view.ts'
import { ThroughputMeter } from './throughput-meter.ts'
import { VolunteerSession } from './volunteer-session.ts'

function localStorageOrUndefined(): NameStorage | undefined {
  try {
    return window.localStorage
  } catch {
    return undefined
  }
}

const view = new StatusView(document)
const storage = localStorageOrUndefined()
const meter = new ThroughputMeter()
const counts = { processed: 0, failed: 0 }
let deviceName = resolveDeviceName({ hash: location.hash, storage, platform: navigator.platform })
let session: VolunteerSession | undefined

view.setStatus('connecting')
view.setDeviceName(deviceName)
view.setCounts(0, 0)
view.setThroughput(0)

// A new name is sent to the root at the next connection.
view.onDeviceNameChange((input) => {
  deviceName = cleanDeviceName(input) ?? deviceName
  view.setDeviceName(deviceName)
  rememberDeviceName(storage, deviceName)
  if (deviceNameFromHash(location.hash) !== undefined) {
    history.replaceState(null, '', hashWithDeviceName(location.hash, deviceName))
  }
})

const url = `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}${VOLUNTEER_PATH}`
const connection = new Connection(url, {
  onOpen: () => {
    connection.send({ type: 'hello', protocolVersion: VOLUNTEER_PROTOCOL_VERSION, deviceName })
  },
  onMessage: (data) => {
    let message: RootToVolunteer
    try {
      message = parseRootMessage(data)
    } catch (error) {
      view.showMessage(`The root sent a message this page does not understand (${String(error)}).`)
      connection.reconnect(4002, 'protocol error')
      return
    }
    handle(message)
  },
  onClose: () => {
    session?.close()
    session = undefined
    view.setStatus('reconnecting')
    view.setVolunteerId(undefined)
  },
})

function sendOutcomes(outcomes: Outcome[]): void {
  for (const group of packOutcomes(outcomes)) connection.send({ type: 'outcomes', outcomes: group })
  const failed = outcomes.filter((outcome) => !outcome.ok).length
  counts.processed += outcomes.length
  counts.failed += failed
  meter.record(outcomes.length, performance.now())
  view.setCounts(counts.processed, counts.failed)
}

function startSession(volunteerId: string, bundleUrl: string): void {
  session?.close()
  connection.resetBackoff()
  view.setVolunteerId(volunteerId)
  view.showMessage(undefined)
  view.setStatus('idle')
  const current = new VolunteerSession(new URL(bundleUrl, location.href).href, {
    onOutcomes: sendOutcomes,
    onBusy: (busy) => {
      if (session === current) view.setStatus(busy ? 'working' : 'idle')
    },
    onLoadError: (error) =>
      view.showMessage(`The module could not be loaded: ${error.name}: ${error.message}`),
  })
  session = current
  current.start()
}

function handle(message: RootToVolunteer): void {
  switch (message.type) {
    case 'welcome':
      startSession(message.volunteerId, message.config.bundleUrl)
      break
    case 'jobs':
      if (session === undefined) {
        view.showMessage('The root sent jobs before its welcome.')
        connection.reconnect(4002, 'jobs before welcome')
      } else {
        session.add(message.jobs)
      }
      break
    case 'error':
      view.showMessage(`The root closed the connection: ${message.reason}`)
      break
  }
}

setInterval(() => view.setThroughput(meter.rate(performance.now())), VIEW_REFRESH_INTERVAL)
connection.start()
