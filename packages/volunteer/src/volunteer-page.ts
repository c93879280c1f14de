import { ITEM_TIMEOUT_ERROR, type Outcome, type RunProgress, type VolunteerReport } from '@pando/protocol'
import { VIEW_REFRESH_INTERVAL } from './constants.ts'
import {
  cleanDeviceName,
  deviceNameFromHash,
  hashWithDeviceName,
  rememberDeviceName,
  resolveDeviceName,
  type NameStorage,
} from './device-name.ts'
import { statusOf, type LinkPhase } from './page-state.ts'
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
 * What both transports share: the view, the device name, the page's status, and this tab's Worker, whose
 * outcomes are counted (`#processed`, `#failed`, `#timed-out`, `#throughput`) before they go to the root or
 * into the tab's lender, and whose figures make the tab's status reports (`buildReport`).
 *
 * The status shown follows three things (see `statusOf`): the link's phase, which the transport sets
 * (`setPhase`), whether the Worker is busy, and whether the volunteer paused the tab (`setPaused`).
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
  #phase: LinkPhase = 'joining'
  #busy = false
  #paused = false

  constructor(view: StatusView) {
    this.view = view
    this.#deviceName = resolveDeviceName({
      hash: location.hash,
      storage: this.#storage,
      platform: navigator.platform,
    })
    this.#showStatus()
    view.setRun(undefined, location.host)
    view.setRunProgress(undefined)
    view.setDeviceName(this.#deviceName)
    view.setCounts(0, 0, 0)
    view.setThroughput(0)
    view.setPosition(undefined, undefined)
    view.setChildren(0)
    // A new name goes to the root with the next status report (and in the next hello).
    view.onDeviceNameChange((input) => {
      this.#deviceName = cleanDeviceName(input) ?? this.#deviceName
      view.setDeviceName(this.#deviceName)
      rememberDeviceName(this.#storage, this.#deviceName)
      view.showDeviceNameSaved()
      if (deviceNameFromHash(location.hash) !== undefined) {
        history.replaceState(null, '', hashWithDeviceName(location.hash, this.#deviceName))
      }
    })
    setInterval(() => view.setThroughput(this.#meter.rate(performance.now())), VIEW_REFRESH_INTERVAL)
  }

  get deviceName(): string {
    return this.#deviceName
  }

  /**
   * Where the link to the run stands, as the transport knows it. Once `finished`, only a new run (the tab
   * `connected` again, as tabs go from run to run at one address) changes it: the lost links and refused
   * joins that follow the end of a run are no news.
   */
  setPhase(phase: LinkPhase): void {
    if (this.#phase === 'finished' && phase !== 'connected') return
    this.#phase = phase
    if (phase !== 'connected') this.#busy = false
    this.#showStatus()
  }

  /** The volunteer paused (or resumed) this tab: the status says so until the run is finished. */
  setPaused(paused: boolean): void {
    this.#paused = paused
    this.#showStatus()
  }

  /** The run's name (the module's file name), once known. */
  setModuleName(name: string): void {
    this.view.setRun(name, location.host)
  }

  /** How far the run is, as the root said last. */
  setRunProgress(progress: RunProgress): void {
    this.view.setRunProgress(progress)
  }

  /**
   * The root said the run is over: the Worker stops and the page says so until the tab joins another run
   * (the transport keeps trying, quietly). Idempotent.
   */
  finish(): void {
    this.#worker?.close()
    this.#worker = undefined
    this.setPhase('finished')
  }

  #showStatus(): void {
    this.view.setStatus(statusOf(this.#phase, this.#busy, this.#paused))
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
  startWorker(options: VolunteerSessionOptions, onOutcomes: (outcomes: Outcome[]) => void): VolunteerSession {
    this.view.showMessage(undefined)
    const worker = new VolunteerSession(
      options,
      {
        onOutcomes: (outcomes) => {
          this.#count(outcomes)
          onOutcomes(outcomes)
        },
        onBusy: (busy) => {
          if (this.#worker !== worker) return
          this.#busy = busy
          this.#showStatus()
        },
        onLoadError: (error) =>
          this.view.showMessage(`The module could not be loaded: ${error.name}: ${error.message}`),
        onFigures: (figures) => this.#reports.recordFigures(figures),
      },
      { startWorker: (bundleUrl) => this.#spare.take(bundleUrl) },
    )
    this.#worker = worker
    this.#busy = false
    this.setPhase('connected')
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
