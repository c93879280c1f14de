import {
  createTreeNode,
  systemClock,
  type ChildInfo,
  type Clock,
  type Connector,
  type PeerChannel,
  type SignalingClient,
  type TreeNode,
} from '@pando/overlay'
import {
  MAX_MONITORED_VOLUNTEERS,
  parseTreeWorkMessage,
  ProtocolError,
  STALE_REPORT_INTERVALS,
  toWire,
  type RunConfig,
  type BrowserMarkMessage,
  type RunProgress,
  type TreeWorkMessage,
  type VolunteerReport,
} from '@pando/protocol'
import type { ReportPlace } from './report-builder.ts'
import { SubtreeReports } from './subtree-reports.ts'
import { ParentWork, type ParentWorkComponents } from './parent-work.ts'

/** The run's settings a tab in the tree needs (from `run/config.json`). */
export type TreeVolunteerOptions = Pick<
  RunConfig,
  'degree' | 'bootstrapTimeoutMs' | 'heartbeatMs' | 'batchSize' | 'reportingIntervalMs'
> & {
  /** The node's id. @default 16 random hex digits */
  readonly id?: string
  /** The tab's own Workers: its own runner's credit, and what its node reports up. @default 1 */
  readonly workers?: number
  /** Whether the tab starts paused (see `setPaused`). @default false */
  readonly paused?: boolean
}

/** Collaborators: the transport, and what runs the jobs. */
export interface TreeVolunteerComponents {
  /** Makes the channels to the parent and the children (WebRTC in a tab, memory in tests). */
  readonly connector: Connector
  /** The joiner's side of the signaling relay. */
  readonly signaling: SignalingClient
  /** Starts this tab's runner (its Worker) for the work under a parent. */
  readonly createRunner: ParentWorkComponents['createRunner']
  /**
   * Builds this tab's report for the interval that ends now (see `ReportBuilder`); without it the tab sends
   * no status. Its `timestamp` must be on `clock`.
   */
  readonly buildReport?: (place: ReportPlace, final?: boolean) => VolunteerReport
  /** @default the overlay's system clock (`Date.now`) */
  readonly clock?: Clock
  /** A link was closed because its peer sent a message that is neither the overlay's nor valid work. */
  readonly onProtocolError?: (error: ProtocolError) => void
  /** The browser mark this tab keeps, for the root (protocol `browser-mark.ts`); none: it has none yet. */
  readonly browserMark?: () => string | undefined
  /** The root gave this tab's browser a mark: to keep for its next join. */
  readonly onBrowserMark?: (mark: string) => void
  /** The parent passed on how far the run is (already passed on to the children). */
  readonly onProgress?: (progress: RunProgress) => void
  /**
   * The parent said the run is over: the tab has passed it on to its children and stopped its work. It
   * stays in the tree as it is; when the root leaves, it rejoins by itself, as after any lost parent, and so
   * joins the next run at the same address.
   */
  readonly onFinished?: () => void
}

/**
 * A tab in the WebRTC tree: a tree node, and a {@link ParentWork} for as long as it has a parent. Each
 * new parent starts a new one (the old one's items are the ancestors' to lend again); children stay
 * across parents and are lent to by whichever parent's work is current. Work messages are routed by channel: jobs
 * from the parent, outcomes and status reports from children; anything else on a link closes it.
 *
 * Every `reportingIntervalMs`, while it has a parent, the tab sends it a `status`: its own report and the
 * latest its children passed up for their subtrees, one per volunteer (see {@link SubtreeReports}). It also
 * sends one at once when it gets a new parent, and when a child's status names a volunteer new to its
 * subtree: the root names each tab in its notice of the join from these.
 *
 * What the root says of the run comes down from the parent and is passed on to every child: `progress`, and
 * `finished`, after which the tab's work under its parent ends (the next parent starts a new one).
 */
export class TreeVolunteer {
  readonly node: TreeNode
  readonly #options: TreeVolunteerOptions
  readonly #components: TreeVolunteerComponents
  readonly #clock: Clock
  readonly #subtree = new SubtreeReports<PeerChannel>()
  #parentWork: ParentWork | undefined
  #reportTimer: unknown
  /** Whether this tab sent its current parent a status yet. */
  #introduced = false
  #workers: number
  #paused: boolean
  #finished = false

  constructor(options: TreeVolunteerOptions, components: TreeVolunteerComponents) {
    this.#options = options
    this.#components = components
    this.#clock = components.clock ?? systemClock
    const { degree, bootstrapTimeoutMs, heartbeatMs, id } = options
    this.#workers = options.workers ?? 1
    this.#paused = options.paused ?? false
    this.node = createTreeNode(
      {
        degree,
        bootstrapTimeoutMs,
        heartbeatMs,
        workers: this.#ownWorkers(),
        ...(id === undefined ? {} : { id }),
      },
      {
        connector: components.connector,
        signaling: components.signaling,
        ...(components.clock === undefined ? {} : { clock: components.clock }),
      },
    )
    this.node.on('parent', (channel) => this.#startParentWork(channel))
    // A new parent hears of this tab at once (its first position gives the depth a report needs), not at the
    // next interval: the root names the tab in its notice of the join from that report.
    this.node.on('position', () => {
      if (this.#introduced) return
      this.#introduced = true
      this.#sendStatus()
      this.#sendUp({ type: 'browser-mark', id: this.node.id, ...this.#ownMark() })
    })
    this.node.on('parent-lost', () => this.#endParentWork())
    this.node.on('close', () => {
      this.#endParentWork()
      this.#clock.clearTimeout(this.#reportTimer)
    })
    this.node.on('child', (child) => this.#parentWork?.addChild(child))
    this.node.on('child-report', (child: ChildInfo) => this.#parentWork?.updateChild(child))
    this.node.on('child-left', (child) => {
      this.#parentWork?.removeChild(child.channel)
      this.#subtree.remove(child.channel)
    })
    this.node.on('message', (channel, message) => this.#route(channel, message))
  }

  /** The work under the current parent, if any. */
  get parentWork(): ParentWork | undefined {
    return this.#parentWork
  }

  /** Starts joining the tree; the node rejoins by itself whenever it loses its parent. */
  start(): void {
    this.node.join()
    if (this.#components.buildReport !== undefined) this.#scheduleReport()
  }

  /** The volunteer changed the tab's Workers: its own credit follows, and its node reports them up. */
  setWorkers(workers: number): void {
    this.#workers = workers
    this.#parentWork?.setRunnerWorkers(workers)
    if (!this.node.isClosed) this.node.setWorkers(this.#ownWorkers())
  }

  /**
   * The volunteer paused (or resumed) the tab. It keeps its place in the tree and relays for its children;
   * its node reports its own Workers as 0 at once, so that its parent lends it only what its children run,
   * and then its parent's work gives back what it holds unstarted (see `ParentWork.setPaused`). While paused
   * with no Worker left in its subtree, jobs its parent sent before it heard go straight back.
   */
  setPaused(paused: boolean): void {
    if (paused === this.#paused) return
    this.#paused = paused
    // The report goes first: the parent must not lend the returned items straight back to this tab.
    if (!this.node.isClosed) this.node.setWorkers(this.#ownWorkers())
    this.#parentWork?.setPaused(paused)
  }

  /** Workers of its own the tab offers: none while paused. */
  #ownWorkers(): number {
    return this.#paused ? 0 : this.#workers
  }

  /** Leaves the tree. Idempotent. */
  close(): void {
    this.node.close()
  }

  /** Whether the parent said the run is over (until a new parent). */
  get finished(): boolean {
    return this.#finished
  }

  /** The mark this tab keeps, as a `browser-mark` message carries it. */
  #ownMark(): { mark?: string } {
    const mark = this.#components.browserMark?.()
    return mark === undefined ? {} : { mark }
  }

  /** Sends `message` to the parent if its link is open (one closing meanwhile is lost anyway). */
  #sendUp(message: TreeWorkMessage): void {
    const parent = this.node.parent
    if (parent?.state !== 'open') return
    try {
      parent.send(message)
    } catch {
      // The channel is closing.
    }
  }

  /** The child link whose subtree holds the tab `id`, as its reports (or its own) name it. */
  #childHolding(id: string): PeerChannel | undefined {
    for (const child of this.node.children)
      if (child.id === id || this.#subtree.idsOf(child.channel).includes(id)) return child.channel
    return undefined
  }

  /** A tab's browser mark on its way: up from a child's subtree, or down to this tab or towards it. */
  #relayMark(channel: PeerChannel, message: BrowserMarkMessage, fromParent: boolean): void {
    if (!fromParent) {
      // Only for a tab of that child's subtree: a child speaks for no tab elsewhere.
      if (this.#childHolding(message.id) === channel) this.#sendUp(message)
      return
    }
    if (message.id === this.node.id) {
      if (message.mark !== undefined) this.#components.onBrowserMark?.(message.mark)
      return
    }
    const below = this.#childHolding(message.id)
    if (below?.state !== 'open') return
    try {
      below.send(message)
    } catch {
      // The channel is closing.
    }
  }

  /** Sends `message` to every open child link (one closing meanwhile is leaving anyway). */
  #sendToChildren(message: TreeWorkMessage): void {
    for (const child of this.node.children) {
      if (child.channel.state !== 'open') continue
      try {
        child.channel.send(message)
      } catch {
        // The channel is closing.
      }
    }
  }

  #finish(): void {
    if (this.#finished) return
    this.#finished = true
    this.#sendToChildren({ type: 'finished' })
    this.#endParentWork()
    // The root's last status waits a moment for these: what this tab computed since its last report.
    this.#sendStatus(true)
    this.#components.onFinished?.()
  }

  #startParentWork(parent: PeerChannel): void {
    this.#endParentWork()
    this.#introduced = false
    this.#finished = false
    const work = new ParentWork(
      {
        id: this.node.id,
        batchSize: this.#options.batchSize,
        workers: this.#workers,
        paused: this.#paused,
      },
      {
        sendUp: (message) => {
          if (parent.state === 'open') parent.send(toWire(message))
        },
        createRunner: this.#components.createRunner,
      },
    )
    this.#parentWork = work
    for (const child of this.node.children) {
      work.addChild(child)
      work.setChildTabs(child.channel, this.#subtree.idsOf(child.channel))
    }
  }

  /** Where this tab is and what it holds, for its report. */
  place(): ReportPlace {
    const depth = this.node.depth ?? 1
    return {
      id: this.node.id,
      depth,
      parent: depth <= 1 ? null : (this.node.parentId ?? null),
      children: this.node.children.length,
      transport: 'webrtc',
      inFlight: this.#parentWork?.held ?? 0,
    }
  }

  #scheduleReport(): void {
    this.#reportTimer = this.#clock.setTimeout(() => {
      if (this.node.isClosed) return
      this.#sendStatus()
      this.#scheduleReport()
    }, this.#options.reportingIntervalMs)
  }

  /**
   * Sends the subtree's reports up; a report is built only when it can be sent, and covers the time since
   * (the `final` one, at the end of the run, keeps the rates of the last whole interval).
   */
  #sendStatus(final = false): void {
    const parent = this.node.parent
    const build = this.#components.buildReport
    if (build === undefined || parent?.state !== 'open' || this.node.depth === undefined) return
    const maxAgeMs = STALE_REPORT_INTERVALS * this.#options.reportingIntervalMs
    const reports = this.#subtree.combined(build(this.place(), final), this.#clock.now(), maxAgeMs)
    try {
      parent.send({ type: 'status', reports } satisfies TreeWorkMessage)
    } catch {
      // The channel is closing: the next parent gets the next status.
    }
  }

  #endParentWork(): void {
    this.#parentWork?.close()
    this.#parentWork = undefined
  }

  #route(channel: PeerChannel, raw: unknown): void {
    let message: TreeWorkMessage | undefined
    try {
      message = parseTreeWorkMessage(raw)
    } catch (error) {
      this.#violation(channel, `a malformed work message: ${(error as Error).message}`)
      return
    }
    const fromParent = channel === this.node.parent
    if (message === undefined) {
      this.#violation(channel, "a message that is neither the overlay's nor work")
    } else if (message.type === 'jobs' && fromParent) {
      this.#parentWork?.receiveJobs(message.jobs)
      if (this.#paused && this.node.subtree.workers === 0) this.#parentWork?.returnWaiting()
    } else if (message.type === 'recall' && fromParent) {
      this.#parentWork?.recall(message.count)
    } else if (message.type === 'progress' && fromParent) {
      this.#sendToChildren(message)
      this.#components.onProgress?.({ done: message.done, total: message.total })
    } else if (message.type === 'finished' && fromParent) {
      this.#finish()
    } else if (message.type === 'browser-mark') {
      this.#relayMark(channel, message, fromParent)
    } else if (message.type === 'outcomes' && !fromParent) {
      this.#parentWork?.receiveOutcomes(channel, message.outcomes, message.msPerItem)
    } else if (message.type === 'return' && !fromParent) {
      this.#parentWork?.receiveReturn(channel, message.ids)
    } else if (message.type === 'status' && !fromParent) {
      if (message.reports.length > MAX_MONITORED_VOLUNTEERS) {
        this.#violation(channel, `a status of ${String(message.reports.length)} reports`)
      } else {
        const namesNewcomer = this.#subtree.update(channel, message.reports)
        this.#parentWork?.setChildTabs(channel, this.#subtree.idsOf(channel))
        // After the end, a child's last report goes up at once, not at the next interval (see `#finish`);
        // so does one that names a volunteer new to the subtree, for the root's notice of its joining.
        if (this.#finished) this.#sendStatus(true)
        else if (namesNewcomer) this.#sendStatus()
      }
    } else {
      this.#violation(channel, `a ${fromParent ? 'parent' : 'child'} may not send '${message.type}'`)
    }
  }

  #violation(channel: PeerChannel, reason: string): void {
    channel.close()
    this.#components.onProtocolError?.(new ProtocolError(reason))
  }
}
