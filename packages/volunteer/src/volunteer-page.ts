import {
  browserMark,
  ITEM_TIMEOUT_ERROR,
  type Job,
  type Outcome,
  type RunProgress,
  type VolunteerReport,
} from '@pando/protocol'
import { BROWSER_MARK_STORAGE_KEY, VIEW_REFRESH_INTERVAL } from './constants.ts'
import {
  cleanDeviceName,
  deviceNameFromHash,
  hashWithDeviceName,
  rememberDeviceName,
  resolveDeviceName,
  type NameStorage,
} from './device-name.ts'
import { PauseReasons, watchBattery, watchVisibility, type PauseReason } from './auto-pause.ts'
import { ControlsView } from './controls-view.ts'
import { phaseShown, statusOf, type LinkPhase } from './page-state.ts'
import { ReportBuilder, type ReportPlace } from './report-builder.ts'
import { fetchRunConfig } from './run-config.ts'
import { RunWatch } from './run-watch.ts'
import type { StatusView } from './status-view.ts'
import { SpareWorker } from './spare-worker.ts'
import {
  hashWithWorkers,
  loadTabSettings,
  saveTabSettings,
  workersFromHash,
  type TabSettings,
} from './tab-settings.ts'
import { ThroughputMeter } from './throughput-meter.ts'
import { WorkerQueue, type WorkerQueueOptions } from './worker-queue.ts'
import { WorkerClient } from './worker-client.ts'
import { WorkerPool } from './worker-pool.ts'

function localStorageOrUndefined(): NameStorage | undefined {
  try {
    return window.localStorage
  } catch {
    return undefined
  }
}

/**
 * What both transports share: the view, the device name, the page's status, and this tab's Workers (a
 * {@link WorkerPool}), whose outcomes are counted (`#processed`, `#failed`, `#timed-out`, `#throughput`)
 * before they go to the root or into the tab's lender, and whose figures make the tab's status reports
 * (`buildReport`). The volunteer's controls (see {@link ControlsView}) set the Workers, the CPU use and the
 * pauses, remembered for the origin.
 *
 * The status shown follows three things (see `statusOf`): the link's phase, which the transport sets
 * (`setPhase`), whether a Worker is busy, and whether the volunteer paused the tab (`setPaused`).
 */
export class VolunteerPage {
  readonly view: StatusView
  readonly #storage = localStorageOrUndefined()
  readonly #meter = new ThroughputMeter()
  readonly #counts = { processed: 0, failed: 0, timedOut: 0 }
  readonly #reports = new ReportBuilder()
  readonly #spare = new SpareWorker((bundleUrl) => WorkerClient.start(bundleUrl))
  readonly #pauses = new PauseReasons()
  readonly #controls: ControlsView
  readonly #workersListeners: ((workers: number) => void)[] = []
  readonly #pauseListeners: ((paused: boolean) => void)[] = []
  #settings: TabSettings
  #deviceName: string
  #pool: WorkerPool | undefined
  #phase: LinkPhase = 'joining'
  /** Whether the tab has been in a run since it last finished (see `phaseShown`). */
  #inRun = false
  /** While reconnecting: whether the root can be reached, as the `RunWatch` last found. */
  #rootReachable = true
  /** While reconnecting: whether the root can be reached, and whether its server says the run finished. */
  readonly #runWatch = new RunWatch({
    check: (signal) => fetchRunConfig(location.href, fetch, signal),
    onUnreachable: () => this.#setRootReachable(false),
    onReachable: () => this.#setRootReachable(true),
    onEnded: () => this.finish(),
  })
  #busy = false
  #paused = false

  /**
   * The mark the last root gave this browser (kept in localStorage, shared by its tabs), for the next
   * `hello`: a root that excluded this browser for its results knows it again (protocol `browser-mark.ts`).
   */
  get browserMark(): string | undefined {
    try {
      const stored = this.#storage?.getItem(BROWSER_MARK_STORAGE_KEY) ?? undefined
      // Checked as the root checks it: a mangled one would get the hello refused.
      return stored === undefined ? undefined : browserMark(stored, 'the stored mark')
    } catch {
      return undefined
    }
  }

  /** Keeps the mark a root's `welcome` gave. */
  rememberBrowserMark(mark: string): void {
    try {
      this.#storage?.setItem(BROWSER_MARK_STORAGE_KEY, mark)
    } catch {
      // Storage full or refused: the page joins as a newcomer next time.
    }
  }

  constructor(view: StatusView) {
    this.view = view
    this.#deviceName = resolveDeviceName({
      hash: location.hash,
      storage: this.#storage,
      userAgent: navigator.userAgent,
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
    this.#settings = loadTabSettings({
      hash: location.hash,
      storage: this.#storage,
      hardwareConcurrency: navigator.hardwareConcurrency,
    })
    this.#controls = new ControlsView(document, this.#settings, {
      onWorkers: (workers) => this.#setWorkers(workers),
      onCpuLimit: (cpuLimit) => {
        this.#save({ cpuLimit })
        this.#pool?.setCpuLimit(cpuLimit)
      },
      onPause: (paused) =>
        this.#applyPause(paused ? this.#pauses.set('you', true) : this.#pauses.resumeByVolunteer()),
      onPauseWhenHidden: (enabled) => {
        this.#save({ pauseWhenHidden: enabled })
        this.#autoPause('hidden', enabled && document.visibilityState === 'hidden')
      },
      onPauseOnBattery: (enabled) => {
        this.#save({ pauseOnBattery: enabled })
        if (!enabled) this.#autoPause('battery', false)
      },
    })
    watchVisibility(document, (hidden) => this.#autoPause('hidden', hidden && this.#settings.pauseWhenHidden))
    void watchBattery(navigator, (onBattery) =>
      this.#autoPause('battery', onBattery && this.#settings.pauseOnBattery),
    )
    setInterval(() => {
      view.setThroughput(this.#meter.rate(performance.now()))
      if (this.#pool !== undefined) this.#controls.setDutyCycle(this.#pool.dutyCycle.share)
    }, VIEW_REFRESH_INTERVAL)
  }

  /** Workers this tab runs, as its volunteer chose (or `#workers=N`, or one less than its cores). */
  get workers(): number {
    return this.#settings.workers
  }

  /** Whether the tab is paused (by its volunteer, or by itself). */
  get paused(): boolean {
    return this.#pauses.paused
  }

  /** Calls `listener` whenever the volunteer changes the Workers (the transports tell the root). */
  onWorkersChange(listener: (workers: number) => void): void {
    this.#workersListeners.push(listener)
  }

  /**
   * Calls `listener` whenever the tab is paused or resumed, so that the transport tells whoever lends to it:
   * on a pause before the Workers hand back what they hold, on a resume after they may start again.
   */
  onPauseChange(listener: (paused: boolean) => void): void {
    this.#pauseListeners.push(listener)
  }

  get deviceName(): string {
    return this.#deviceName
  }

  /**
   * Where the link to the run stands, as the transport knows it. Once `finished` or `excluded`, only a new
   * run (the tab `connected` again, as tabs go from run to run at one address) changes it (and clears the
   * exclusion's message): the lost links and refused joins that follow the end of a run are no news. Before
   * that, the page says finished only when told so (the root's word through the transport, or its
   * `pando-server`'s through the `RunWatch`): a tab that cannot reach its root says so, and keeps trying.
   */
  setPhase(phase: LinkPhase): void {
    if ((this.#phase === 'finished' || this.#phase === 'excluded') && phase !== 'connected') return
    if (this.#phase === 'excluded') this.view.showMessage(undefined)
    if (phase === 'connected') this.#inRun = true
    if (phase === 'finished' || phase === 'excluded') this.#inRun = false
    this.#phase = phaseShown(phase, this.#inRun)
    if (this.#phase === 'reconnecting') {
      this.#runWatch.start()
    } else {
      this.#runWatch.stop()
      this.#rootReachable = true
    }
    if (phase !== 'connected') this.#busy = false
    this.#showStatus()
  }

  #setRootReachable(reachable: boolean): void {
    this.#rootReachable = reachable
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
   * The root said the run is over: the Workers stop and the page says so until the tab joins another run
   * (the transport keeps trying, quietly). Idempotent.
   */
  finish(): void {
    this.#stop('finished')
  }

  /**
   * The run excluded this tab for its results, or its browser's: the Workers stop and the page says so, and
   * `why` (`it was outvoted on…`, `this browser was excluded earlier…`), until the tab joins another run.
   */
  exclude(why: string): void {
    this.#stop('excluded')
    this.view.showMessage(`The run excluded this tab: ${why}. Its work is done by others.`)
  }

  /** The Workers stop, for the run is over for this tab (`phase`). */
  #stop(phase: 'finished' | 'excluded'): void {
    this.#pool?.close()
    this.#pool = undefined
    this.setPhase(phase)
  }

  #showStatus(): void {
    this.view.setStatus(statusOf(this.#phase, this.#busy, this.#paused, this.#rootReachable))
  }

  /**
   * This tab's status report for the interval that ends now, or its `final` one, at the end of the run (see
   * `ReportBuilder`).
   */
  buildReport(place: ReportPlace, final = false): VolunteerReport {
    const offer = {
      workers: this.#settings.workers,
      cpuLimit: this.#settings.cpuLimit,
      paused: this.#pauses.paused,
    }
    return final
      ? this.#reports.final(this.#deviceName, place, offer)
      : this.#reports.build(this.#deviceName, place, offer)
  }

  /**
   * Starts a Worker and loads the bundle now, while the tab is still connecting: the first Worker queue that runs
   * this bundle takes it (see {@link SpareWorker}).
   */
  prestartWorker(bundleUrl: string): void {
    this.#spare.prestart(bundleUrl)
  }

  /**
   * Starts the tab's Workers with the bundle loaded (a {@link WorkerPool} of `WorkerQueue`s, the first
   * taking the spare): the status follows them while the pool is the latest one started, and their outcomes
   * are counted, then handed to `onOutcomes`.
   */
  startWorkers(
    options: WorkerQueueOptions,
    onOutcomes: (outcomes: Outcome[], msPerItem?: number) => void,
    onHandBack?: (jobs: Job[]) => void,
  ): WorkerPool {
    this.view.showMessage(undefined)
    this.#pool?.close()
    const pool = new WorkerPool(
      { workers: this.#settings.workers, cpuLimit: this.#settings.cpuLimit, paused: this.#pauses.paused },
      {
        createLane: (events) => {
          const queue = new WorkerQueue(
            options,
            {
              ...events,
              onLoadError: (error) =>
                this.view.showMessage(`The module could not be loaded: ${error.name}: ${error.message}`),
            },
            { startWorker: (bundleUrl) => this.#spare.take(bundleUrl) },
          )
          queue.start()
          return queue
        },
        ...(onHandBack === undefined ? {} : { onHandBack }),
        onOutcomes: (outcomes, msPerItem) => {
          this.#count(outcomes)
          onOutcomes(outcomes, msPerItem)
        },
        onBusy: (busy) => {
          if (this.#pool !== pool) return
          this.#busy = busy
          this.#showStatus()
        },
        onFigures: (figures) => this.#reports.recordFigures(figures),
      },
    )
    this.#pool = pool
    this.#busy = false
    this.setPhase('connected')
    return pool
  }

  #save(change: Partial<TabSettings>): void {
    this.#settings = { ...this.#settings, ...change }
    saveTabSettings(this.#storage, this.#settings)
  }

  #setWorkers(workers: number): void {
    if (workers === this.#settings.workers) return
    this.#save({ workers })
    if (workersFromHash(location.hash) !== undefined) {
      history.replaceState(null, '', hashWithWorkers(location.hash, workers))
    }
    this.#pool?.resize(workers)
    for (const listener of this.#workersListeners) listener(workers)
  }

  #autoPause(reason: PauseReason, on: boolean): void {
    this.#applyPause(this.#pauses.set(reason, on))
  }

  /** Shows the pause and applies it to the Workers (`changed`: whether the tab's paused state changed). */
  #applyPause(changed: boolean): void {
    const paused = this.#pauses.paused
    const reason = this.#pauses.shown
    this.#controls.setPaused(paused, reason === 'you' ? undefined : reason)
    this.setPaused(paused)
    if (!changed) return
    if (paused) {
      for (const listener of this.#pauseListeners) listener(true)
      this.#pool?.pause()
    } else {
      this.#pool?.resume()
      for (const listener of this.#pauseListeners) listener(false)
    }
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
