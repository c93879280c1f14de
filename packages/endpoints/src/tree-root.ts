import {
  createTreeNode,
  createWebRtcConnector,
  MAX_CLOSE_REASON_CHARS,
  type AnswerSignalMessage,
  type JoinRejectedMessage,
  type JoinSignalMessage,
  type PeerChannel,
  type Random,
  type TreeNode,
  type WebRtcConnectorOptions,
} from '@pando/overlay'
import {
  isProtocolError,
  parseTreeWorkMessage,
  volunteerLabel,
  type BrowserMarkMessage,
  type RelayToJoiner,
  type RunProgress,
  type TreeWorkMessage,
  type VolunteerReport,
} from '@pando/protocol'
import { ChildLending, isExclusion, type BatchSize, type Lender } from '@pando/scheduler'
import type { BrowserMarks } from './browser-marks.ts'
import { nodeWrtc } from './node-wrtc.ts'
import type { InternalErrorReporter, NamedVolunteer, ReportSink, Roster } from './root-components.ts'

export interface TreeRootOptions {
  readonly lender: Lender
  readonly degree: number
  readonly bootstrapTimeoutMs: number
  readonly heartbeatMs: number
  /** Jobs per message (a child holds two batches per worker in its subtree), or `'auto'`. */
  readonly batchSize: BatchSize
  readonly iceServers: NonNullable<WebRtcConnectorOptions['iceServers']>
  /** Gather ICE candidates on this address only (127.0.0.1 when only loopback is allowed). */
  readonly bindAddress?: string
  /** Where the root's answers to joiners go: the signaling relay. */
  readonly sendToJoiner: (origin: string, message: RelayToJoiner) => void
  /** Where the status reports of each child's subtree go. */
  readonly board: ReportSink
  /** Told of each child, its subtree's size and its leaving: the count of volunteers and the notices. */
  readonly roster?: Roster
  /** Told of a bug of the root's own while it took a child's message (the child is closed all the same). */
  readonly onInternalError: InternalErrorReporter
  /** What the root's tree node draws from (its id…); seeded with `--seed`. @default Math.random */
  readonly random?: Random
  /**
   * The run's browser marks, when it judges results: a tab whose browser was excluded is closed as it
   * joins (its `browser-mark`), and a tab without a mark of this run is given one. @default no marks
   */
  readonly marks?: BrowserMarks
  /** Told once per excluded browser that comes back: the tab's label (its own words) and why it was excluded. */
  readonly onRefused?: (label: string, why: string) => void
  /**
   * Told of every tab refused, by its id: its parent lent it items as it joined, before its mark came up,
   * so what it answered must not count (the replicating lender's `refuse`).
   */
  readonly onTabRefused?: (id: string, why: string) => void
}

/** A joiner's signal as the relay hands it over: parsed from JSON, so JSON-able. */
export type RelayedJoinSignal = Omit<JoinSignalMessage, 'signal'> & { readonly signal: unknown }

export interface TreeRoot {
  /** Takes a joiner's signal from the relay. */
  handleJoinSignal(message: RelayedJoinSignal): void
  /** Passes the run's progress to every child (each passes it on down its subtree). */
  sendProgress(progress: RunProgress): void
  /** Tells every child the run is over (each passes it on down its subtree, and sends its last report up). Idempotent. */
  finish(): void
  /**
   * Closes the tab `id`, excluded for its results (scheduler SPEC 56): the overlay's `close-tab` goes down
   * to its parent, which closes its link (a child of the root's own is closed here). Its children rejoin.
   */
  closeTab(id: string, reason: string): void
  /** Closes every child link. */
  close(): void
}

/**
 * The root of the WebRTC tree: a tree node whose children (tabs, each with its own subtree) are borrowers
 * of the root's lender, over node-datachannel data channels. A child's credit grows with the workers of its
 * subtree, as it reports them.
 */
export function startTreeRoot(options: TreeRootOptions): TreeRoot {
  const root = createRootNode(options)
  // A child excluded for its results is told so, and leaves for good (its own children rejoin); a child
  // dropped for its failures only loses its link, and may rejoin.
  const children = new ChildLending(options.lender, options.batchSize, (child, reason) => {
    if (isExclusion(reason) && child.id !== undefined) closeTab(child.id, reason.message)
    else child.channel.close()
  })
  const closeTab = (id: string, reason: string): void =>
    root.closeTab(id, reason.slice(0, MAX_CLOSE_REASON_CHARS))
  let finished = false
  /** Labels of the tabs reported, for the notice of a refused browser. */
  const labels = new Map<string, string>()
  root.on('child', (child) => {
    children.add(child)
    options.roster?.join(child.channel, child.size)
    // A tab that joins in the last moments of a run is told at once that it is over.
    if (finished) sendTo(child.channel, { type: 'finished' })
  })
  root.on('child-report', (child) => {
    children.update(child)
    options.roster?.resize(child.channel, child.size)
  })
  root.on('child-left', (child) => {
    children.remove(child.channel)
    options.board.remove(child.channel)
    options.roster?.leave(child.channel, 'its WebRTC link closed')
  })
  root.on('message', (channel, message) => {
    try {
      const work = childWork(message)
      // A malformed message, one a child may not send, or one from a link that is no child: the child goes.
      if (work === undefined || !children.has(channel)) return channel.close()
      if (work.type === 'browser-mark') admitTab(channel, work)
      else takeChildWork(channel, work, { children, labels, options })
    } catch (error) {
      // A bug here, not the child's doing: said as such; the child goes all the same (what it held is lent again).
      options.onInternalError('taking a message from a tree child', error)
      channel.close()
    }
  })
  const admitTab = (channel: PeerChannel, message: BrowserMarkMessage): void =>
    admitTabBrowser(channel, message, { children, labels, options, closeTab, sendTo })
  answerJoiners(root, options.sendToJoiner)
  const sendToChildren = (message: TreeWorkMessage): void => {
    for (const child of root.children) sendTo(child.channel, message)
  }
  return {
    handleJoinSignal: (message) => root.handleJoinSignal(message as JoinSignalMessage),
    sendProgress: (progress) => sendToChildren({ type: 'progress', ...progress }),
    finish: () => {
      if (finished) return
      finished = true
      sendToChildren({ type: 'finished' })
    },
    closeTab,
    close: () => root.close(),
  }
}

/** The root's tree node: no workers of its own, its links over node-datachannel. */
function createRootNode(options: TreeRootOptions): TreeNode {
  return createTreeNode(
    {
      root: true,
      degree: options.degree,
      bootstrapTimeoutMs: options.bootstrapTimeoutMs,
      heartbeatMs: options.heartbeatMs,
      workers: 0,
    },
    {
      connector: createWebRtcConnector({
        wrtc: nodeWrtc,
        iceServers: options.iceServers,
        ...(options.bindAddress === undefined ? {} : { bindAddress: options.bindAddress }),
      }),
      ...(options.random === undefined ? {} : { random: options.random }),
    },
  )
}

/** Why a tab whose browser mark belongs to an excluded volunteer is closed, as its page says it. */
const REFUSED_TAB_REASON = 'came back from a browser excluded earlier in this run'

/** Passes the root's answers to joiners (its signal, or why it refuses them) to the signaling relay. */
function answerJoiners(root: TreeNode, sendToJoiner: TreeRootOptions['sendToJoiner']): void {
  root.on('answer-signal', (message: AnswerSignalMessage) =>
    sendToJoiner(message.origin, { type: 'answer', signal: message.signal }),
  )
  root.on('join-rejected', (message: JoinRejectedMessage) =>
    sendToJoiner(message.origin, { type: 'rejected', reason: message.reason }),
  )
}

/** Sends to a child's link if it is open (one closing meanwhile is leaving anyway). */
function sendTo(channel: PeerChannel, message: TreeWorkMessage): void {
  if (channel.state !== 'open') return
  try {
    channel.send(message)
  } catch {
    // The channel is closing.
  }
}

/**
 * A tab says which browser it runs in (its `browser-mark`, once per parent): one whose browser was excluded
 * is closed at once, and named once on stderr; one without a mark of this run is given one.
 */
function admitTabBrowser(
  channel: PeerChannel,
  { id, mark }: BrowserMarkMessage,
  context: {
    children: ChildLending
    labels: ReadonlyMap<string, string>
    options: TreeRootOptions
    closeTab: (id: string, reason: string) => void
    sendTo: (channel: PeerChannel, message: TreeWorkMessage) => void
  },
): void {
  const marks = context.options.marks
  // Only a tab of that child's subtree: a child speaks for no tab elsewhere.
  if (marks === undefined || !context.children.holdsTab(channel, id)) return
  const admission = marks.admit(id, mark)
  if (!admission.admitted) {
    context.closeTab(id, REFUSED_TAB_REASON)
    context.options.onTabRefused?.(id, REFUSED_TAB_REASON)
    if (admission.firstRefusal) context.options.onRefused?.(context.labels.get(id) ?? id, admission.reason)
    return
  }
  if (admission.mark !== mark) context.sendTo(channel, { type: 'browser-mark', id, mark: admission.mark })
}

/** A reported volunteer as the join notices name it: by its label (its own words), as a WebSocket volunteer is. */
function namedInNotices(report: VolunteerReport): NamedVolunteer {
  return { id: report.id, label: volunteerLabel(report.deviceName, report.id) }
}

/** The work message a child may send up (outcomes, return, status), or `undefined` for any other message. */
function childWork(message: unknown): ChildWorkMessage | undefined {
  let work: TreeWorkMessage | undefined
  try {
    work = parseTreeWorkMessage(message)
  } catch (error) {
    if (isProtocolError(error)) return undefined
    throw error
  }
  // Only what a child sends up is taken: jobs, recall, progress and finished go down.
  const up = ['outcomes', 'return', 'status', 'browser-mark']
  return work !== undefined && up.includes(work.type) ? (work as ChildWorkMessage) : undefined
}

/** A work message a child sends up. */
type ChildWorkMessage = Extract<TreeWorkMessage, { type: 'outcomes' | 'return' | 'status' | 'browser-mark' }>

/** Hands a child's work message to the lending, the board and the roster (`browser-mark`: `admitTab`). */
function takeChildWork(
  channel: PeerChannel,
  work: Exclude<ChildWorkMessage, BrowserMarkMessage>,
  {
    children,
    labels,
    options,
  }: { children: ChildLending; labels: Map<string, string>; options: TreeRootOptions },
): void {
  switch (work.type) {
    case 'outcomes':
      children.receive(channel, work.outcomes, work.msPerItem)
      options.board.countOutcomes(channel, work.outcomes.length)
      return
    case 'return':
      return children.giveBack(channel, work.ids)
    case 'status':
      // The tabs of the child's subtree: the outcomes it passes up may name them (scheduler SPEC 53).
      children.setTabs(
        channel,
        work.reports.map((report) => report.id),
      )
      for (const report of work.reports) labels.set(report.id, namedInNotices(report).label)
      options.board.update(channel, work.reports)
      options.roster?.named(channel, work.reports.map(namedInNotices))
  }
}
