import { ITEM_TIMEOUT_ERROR, type Outcome, type VolunteerReport } from '@pando/protocol'
import { VIEW_REFRESH_INTERVAL } from './constants.ts'
import {
  cleanDeviceName,
  deviceNameFromHash,
  hashWithDeviceName,
  rememberDeviceName,
  resolveDeviceName,
  type NameStorage,
} from './device-name.ts'
import { ReportBuilder, type ReportPlace } from './report-builder.ts'
import type { StatusView } from './status-view.ts'
import { SpareWorker } from './spare-worker.ts'
import { ThroughputMeter } from './throughput-meter.ts'
import { VolunteerSession, type VolunteerSessionOptions } from './volunteer-session.ts'
import { WorkerClient } from './worker-client.ts'

function localStorageOrUndefined(): NameStorage | undefined {
  try {
    return window.localStorage
  } catch {
    return undefined
  }
}

/**
 * What both transports share: the view, the device name, and this tab's Worker, whose outcomes are counted
 * (`#processed`, `#failed`, `#timed-out`, `#throughput`) before they go to the root or into the tab's lender, and whose
 * figures make the tab's status reports (`buildReport`).
 */
export class VolunteerPage {
  readonly view: StatusView
  readonly #storage = localStorageOrUndefined()
  readonly #meter = new ThroughputMeter()
  readonly #counts = { processed: 0, failed: 0, timedOut: 0 }
  readonly #reports = new ReportBuilder()
  readonly #spare = new SpareWorker((bundleUrl) => WorkerClient.start(bundleUrl))
  #deviceName: string
  #worker: VolunteerSession | undefined

  constructor(view: StatusView) {
    this.view = view
    this.#deviceName = resolveDeviceName({
      hash: location.hash,
      storage: this.#storage,
      platform: navigator.platform,
    })
    view.setStatus('connecting')
    view.setDeviceName(this.#deviceName)
    view.setCounts(0, 0, 0)
    view.setThroughput(0)
    view.setPosition(undefined, undefined)
    view.setChildren(0)
    // A new name is used from the next connection.
    view.onDeviceNameChange((input) => {
      this.#deviceName = cleanDeviceName(input) ?? this.#deviceName
      view.setDeviceName(this.#deviceName)
      rememberDeviceName(this.#storage, this.#deviceName)
      if (deviceNameFromHash(location.hash) !== undefined) {
        history.replaceState(null, '', hashWithDeviceName(location.hash, this.#deviceName))
      }
    })
    setInterval(() => view.setThroughput(this.#meter.rate(performance.now())), VIEW_REFRESH_INTERVAL)
  }

  get deviceName(): string {
    return this.#deviceName
  }

  /** This tab's status report for the interval that ends now (see `ReportBuilder`). */
  buildReport(place: ReportPlace): VolunteerReport {
    return this.#reports.build(this.#deviceName, place)
  }

  /**
   * Starts a Worker and loads the bundle now, while the tab is still connecting: the first session that runs
   * this bundle takes it (see {@link SpareWorker}).
   */
  prestartWorker(bundleUrl: string): void {
    this.#spare.prestart(bundleUrl)
  }

  /**
   * Starts a Worker with the bundle loaded (a `VolunteerSession`): the status follows it while it is the
   * latest one started, and its outcomes are counted, then handed to `onOutcomes`.
   */
  startWorker(
    options: VolunteerSessionOptions,
    onOutcomes: (outcomes: Outcome[], msPerItem?: number) => void,
  ): VolunteerSession {
    this.view.showMessage(undefined)
    const worker = new VolunteerSession(
      options,
      {
        onOutcomes: (outcomes, msPerItem) => {
          this.#count(outcomes)
          onOutcomes(outcomes, msPerItem)
        },
        onBusy: (busy) => {
          if (this.#worker === worker) this.view.setStatus(busy ? 'working' : 'idle')
        },
        onLoadError: (error) =>
          this.view.showMessage(`The module could not be loaded: ${error.name}: ${error.message}`),
        onFigures: (figures) => this.#reports.recordFigures(figures),
      },
      { startWorker: (bundleUrl) => this.#spare.take(bundleUrl) },
    )
    this.#worker = worker
    this.view.setStatus('idle')
    worker.start()
    return worker
  }

  #count(outcomes: readonly Outcome[]): void {
    this.#counts.processed += outcomes.length
    for (const outcome of outcomes) {
      if (outcome.ok) continue
      this.#counts.failed += 1
      if (outcome.error.name === ITEM_TIMEOUT_ERROR) this.#counts.timedOut += 1
    }
    this.#reports.recordOutcomes(outcomes)
    this.#meter.record(outcomes.length, performance.now())
    this.view.setCounts(this.#counts.processed, this.#counts.failed, this.#counts.timedOut)
  }
}
