import { Emitter, Link } from '@pando/protocol'
import type { PeerChannel } from './channel.ts'
import type { Clock } from './clock.ts'
import { systemClock } from './clock.ts'
import { MAX_DEPTH, REJOIN_JITTER_MS } from './constants.ts'
import { ClosedError, ProtocolError } from './errors.ts'
import { JoinRouter, type JoinRouterStats } from './join-router.ts'
import { Joiner } from './joiner.ts'
import {
  isControlMessage,
  parseControlMessage,
  type CloseTabMessage,
  type ControlMessage,
  type JoinSignalMessage,
  type PositionMessage,
  type SubtreeReportMessage,
  type ToJoinerMessage,
} from './messages.ts'
import {
  resolveOptions,
  type ResolvedTreeNodeOptions,
  type TreeNodeComponents,
  type TreeNodeOptions,
} from './options.ts'
import type { Random } from './random.ts'
import type { ChildSlot, SubtreeTotals } from './slots.ts'
import { Throttle } from './throttle.ts'
import type { ChildInfo, TreeNodeEvents } from './tree-node-events.ts'

/**
 * One node of the fat tree, whatever the transport: it joins through the root, holds up to `degree`
 * children and candidates, routes other nodes' join signals down, reports its subtree upward, watches
 * its links with heartbeats, and rejoins by itself when its parent goes. See SPEC.md.
 */
export class TreeNode extends Emitter<TreeNodeEvents> {
  readonly id: string
  readonly options: ResolvedTreeNodeOptions
  private readonly clock: Clock
  private readonly random: Random
  private readonly router: JoinRouter
  private readonly joiner: Joiner | undefined
  private readonly reporter: Throttle
  private readonly childLinks = new Map<ChildSlot, Link<PeerChannel>>()
  private parentLink: Link<PeerChannel> | undefined
  private parentNodeId: string | undefined
  private nodeDepth: number | undefined
  private received = 0
  private ownWorkers: number
  private closed = false

  constructor(options: TreeNodeOptions, components: TreeNodeComponents) {
    super()
    this.clock = components.clock ?? systemClock
    this.random = components.random ?? Math.random
    this.options = resolveOptions(options, this.random)
    this.id = this.options.id
    this.ownWorkers = this.options.workers
    this.nodeDepth = this.options.root ? 0 : undefined
    this.reporter = new Throttle(this.clock, this.options.reportIntervalMs, () => this.report())
    this.router = new JoinRouter(
      {
        id: this.id,
        clock: this.clock,
        connector: components.connector,
        sendUp: (message) => this.sendUp(message),
        promoted: (child) => this.adopt(child),
        changed: () => this.requestReport(),
      },
      { ...this.options, policy: this.options.routing },
    )
    const signaling = components.signaling
    if (signaling === undefined || this.options.root) return
    this.joiner = new Joiner(
      {
        clock: this.clock,
        random: this.random,
        connector: components.connector,
        signaling,
        weight: () => this.subtree.size,
        connected: (channel) => this.attachParent(channel),
        failed: (error) => this.emit('join-failed', error),
      },
      this.options.bootstrapTimeoutMs,
    )
  }

  get isRoot(): boolean {
    return this.options.root
  }

  get isClosed(): boolean {
    return this.closed
  }

  /** Whether the node is in the tree: the root, or a node with an open parent channel. */
  get connected(): boolean {
    return this.options.root || this.parentLink !== undefined
  }

  /** The node's depth (root: 0), once its parent told it; undefined while it has no parent. */
  get depth(): number | undefined {
    return this.nodeDepth
  }

  /** The parent's node id, once it told it. */
  get parentId(): string | undefined {
    return this.parentNodeId
  }

  /** The channel to the parent, while connected. */
  get parent(): PeerChannel | undefined {
    return this.parentLink?.channel
  }

  /** Connected children, in slot order. */
  get children(): ChildInfo[] {
    return this.router.slots.children()
  }

  /** Candidates: accepted joiners that have not connected yet. */
  get candidates(): number {
    return this.router.slots.occupied - this.childLinks.size
  }

  /** The node's subtree, itself included (`size`, `workers`), and the joins on their way into it. */
  get subtree(): SubtreeTotals {
    const totals = this.router.slots.totals()
    return { size: 1 + totals.size, pending: totals.pending, workers: this.ownWorkers + totals.workers }
  }

  /** What the join router did so far. */
  get routerStats(): Readonly<JoinRouterStats> {
    return this.router.stats
  }

  /** Starts joining the tree through the signaling relay. Throws ClosedError after close. */
  join(): void {
    if (this.closed) throw new ClosedError('the tree node is closed')
    if (this.joiner === undefined) throw new TypeError('only a node with signaling, not the root, joins')
    if (this.parentLink === undefined) this.joiner.start()
  }

  /** Takes a joiner's signal: at the root, from the signaling relay. */
  handleJoinSignal(message: JoinSignalMessage): void {
    if (!this.closed) this.router.handle(message)
  }

  /**
   * Sets this node's own worker count (0 while its volunteer pauses it), reported upward at once: the
   * parent's credit follows before anything the node sends after it (SPEC 15).
   */
  setWorkers(workers: number): void {
    if (!Number.isSafeInteger(workers) || workers < 0) throw new RangeError('workers must be an integer ≥ 0')
    if (workers === this.ownWorkers) return
    this.ownWorkers = workers
    if (this.parentLink !== undefined) this.reporter.flush()
  }

  /**
   * Closes the tab `id` of this node's subtree (the root excluded it, SPEC 21): a child of that id is told
   * why and its link closed; otherwise the order goes down to every child. Unknown ids reach the leaves
   * and are dropped there.
   */
  closeTab(id: string, reason: string): void {
    if (this.closed) return
    const message: CloseTabMessage = { type: 'close-tab', id, reason }
    for (const [slot, link] of this.childLinks) {
      if (slot.id !== id) continue
      link.send(message)
      link.close()
      return
    }
    for (const link of this.childLinks.values()) link.send(message)
  }

  /** Leaves the tree: closes every channel and stops joining. Idempotent. */
  close(): void {
    if (this.closed) return
    this.closed = true
    this.joiner?.stop()
    this.reporter.cancel()
    this.router.close()
    this.parentLink?.close()
    for (const link of this.childLinks.values()) link.close()
    this.emit('close')
  }

  private attachParent(channel: PeerChannel): void {
    if (this.closed) {
      channel.close()
      return
    }
    this.received = 0
    this.parentLink = new Link(channel, this.clock, this.options.heartbeatMs, {
      message: (message) => this.fromParent(message),
      closed: () => this.parentLost(),
      silent: (error) => this.emit('peer-error', error),
    })
    this.reporter.reset()
    this.reporter.request()
    this.emit('parent', channel)
  }

  private parentLost(): void {
    this.parentLink = undefined
    this.parentNodeId = undefined
    this.nodeDepth = undefined
    this.router.reset()
    if (this.closed) return
    this.emit('parent-lost')
    if (this.options.rejoin) this.joiner?.start((this.random() * REJOIN_JITTER_MS) / this.subtree.size)
  }

  private adopt(child: ChildSlot): void {
    const link = new Link(child.channel, this.clock, this.options.heartbeatMs, {
      message: (message) => this.fromChild(child, link, message),
      closed: () => this.childClosed(child),
      silent: (error) => this.emit('peer-error', error),
      roundTrip: (ms) => {
        child.roundTripMs = ms
      },
    })
    this.childLinks.set(child, link)
    if (this.nodeDepth !== undefined) link.send(this.position())
    this.emit('child', child)
  }

  private childClosed(child: ChildSlot): void {
    this.childLinks.delete(child)
    this.router.childLeft(child)
    if (!this.closed) this.emit('child-left', child)
  }

  private fromParent(raw: unknown): void {
    const link = this.parentLink
    const message = this.control(raw, link)
    if (message === undefined || link === undefined) return
    if (message.type === 'join-signal') {
      if (message.seq === 0) this.received += message.weight
      this.router.handle(message)
    } else if (message.type === 'position') {
      this.moveTo(message, link)
    } else if (message.type === 'close-tab') {
      this.closeTabOrder(message)
    } else if (message.type !== 'heartbeat') {
      this.violation(link, `a parent may not send '${message.type}'`)
    }
  }

  private fromChild(child: ChildSlot, link: Link<PeerChannel>, raw: unknown): void {
    const message = this.control(raw, link)
    if (message === undefined) return
    if (message.type === 'subtree-report') this.childReported(child, message)
    else if (message.type === 'answer-signal' || message.type === 'join-rejected') {
      // Only for an attempt routed to this child: a child cannot answer for joiners outside its subtree.
      // Others are dropped, not punished: a late answer to an attempt whose route expired looks the same.
      if (this.router.routedTo(message.origin, child.index)) this.sendUp(message)
    } else if (message.type !== 'heartbeat') this.violation(link, `a child may not send '${message.type}'`)
  }

  /** The control message in `raw`, or undefined after handing an application message on or a bad one. */
  private control(raw: unknown, link: Link<PeerChannel> | undefined): ControlMessage | undefined {
    if (link === undefined) return undefined
    if (!isControlMessage(raw)) {
      this.emit('message', link.channel, raw)
      return undefined
    }
    try {
      return parseControlMessage(raw)
    } catch (error) {
      this.violation(link, (error as Error).message)
      return undefined
    }
  }

  private violation(link: Link<PeerChannel>, reason: string): void {
    this.emit('peer-error', new ProtocolError(reason))
    link.close()
  }

  private childReported(child: ChildSlot, report: SubtreeReportMessage): void {
    child.id = report.id
    child.size = report.size
    child.pending = report.pending
    child.workers = report.workers
    child.received = report.received
    this.requestReport()
    this.emit('child-report', child)
  }

  /** The parent passed an order to close a tab down: this one leaves the tree for good, or passes it on. */
  private closeTabOrder(message: CloseTabMessage): void {
    if (message.id !== this.id) return this.closeTab(message.id, message.reason)
    this.emit('excluded', message.reason)
    this.close()
  }

  private moveTo(message: PositionMessage, link: Link<PeerChannel>): void {
    if (message.depth > MAX_DEPTH) {
      this.violation(link, `depth ${String(message.depth)} exceeds ${String(MAX_DEPTH)}: a cycle`)
      return
    }
    this.parentNodeId = message.parent
    if (message.depth === this.nodeDepth) return
    this.nodeDepth = message.depth
    for (const childLink of this.childLinks.values()) childLink.send(this.position())
    this.emit('position', message.depth)
  }

  private position(): PositionMessage {
    return { type: 'position', parent: this.id, depth: (this.nodeDepth ?? 0) + 1 }
  }

  private sendUp(message: ToJoinerMessage): void {
    if (!this.options.root) this.parentLink?.send(message)
    else if (message.type === 'answer-signal') this.emit('answer-signal', message)
    else this.emit('join-rejected', message)
  }

  private requestReport(): void {
    if (this.parentLink !== undefined) this.reporter.request()
  }

  private report(): void {
    const { size, pending, workers } = this.subtree
    const received = this.received
    this.parentLink?.send({ type: 'subtree-report', id: this.id, size, pending, workers, received })
  }
}

/** Creates a tree node; see {@link TreeNode}. Throws RangeError on a bad option. */
export function createTreeNode(options: TreeNodeOptions, components: TreeNodeComponents): TreeNode {
  return new TreeNode(options, components)
}
