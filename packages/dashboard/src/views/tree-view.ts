import type { TreeEdge, VolunteerReport } from '@pando/protocol'
import { MAX_TREE_LABELS, TREE_LABEL_LENGTH } from '../constants.ts'
import { formatCount, formatRate, truncate } from '../format.ts'
import type { ColorRegistry } from '../palette.ts'
import { ROOT_NODE, layoutTree } from '../tree-layout.ts'

const SVG = 'http://www.w3.org/2000/svg'
/**
 * Horizontal distance between two leaves (room for a label, or only for a node when the tree is too wide to
 * name them all), and vertical distance between two levels, in pixels.
 */
const COLUMN = 140
const NARROW_COLUMN = 30
const ROW = 78
const MARGIN_X = 76
const MARGIN_TOP = 26
const MARGIN_BOTTOM = 36
const NODE_RADIUS = 11
const ROOT_RADIUS = 15

function svg<K extends keyof SVGElementTagNameMap>(
  name: K,
  attributes: Record<string, string | number>,
): SVGElementTagNameMap[K] {
  const element = document.createElementNS(SVG, name)
  for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, String(value))
  return element
}

/**
 * The volunteer tree, drawn live as SVG: the root on top, one row per depth, a line from each volunteer
 * to its parent (dashed for WebSocket, solid for WebRTC), nodes in the volunteers' colours. Each node has
 * `data-id` (the volunteer's id, `root` for the root) and a tooltip.
 */
export class TreeView {
  readonly #container: HTMLElement
  readonly #colors: ColorRegistry
  /** Whether a tree wider than the panel was scrolled to its root once (then the viewer's scroll stays). */
  #centred = false

  constructor(container: HTMLElement, colors: ColorRegistry) {
    this.#container = container
    this.#colors = colors
  }

  update(tree: readonly TreeEdge[], reports: readonly VolunteerReport[]): void {
    const byId = new Map(reports.map((report) => [report.id, report]))
    const layout = layoutTree(tree)
    const showLabels = tree.length <= MAX_TREE_LABELS
    const column = showLabels ? COLUMN : NARROW_COLUMN
    const width = MARGIN_X * 2 + (layout.width - 1) * column
    const height = MARGIN_TOP + MARGIN_BOTTOM + Math.max(1, layout.depth) * ROW
    const position = new Map<string, Point>(
      layout.nodes.map((node) => [
        node.id,
        { x: MARGIN_X + node.x * column, y: MARGIN_TOP + node.depth * ROW },
      ]),
    )
    const root = svg('svg', {
      viewBox: `0 0 ${width} ${height}`,
      width,
      height,
      role: 'img',
      'aria-label': `Tree of ${tree.length} volunteers`,
      'data-nodes': layout.nodes.length,
    })
    const links = svg('g', { class: 'links' })
    const nodes = svg('g', { class: 'nodes' })
    for (const node of layout.nodes) {
      const at = position.get(node.id)
      if (at === undefined) continue
      const report = byId.get(node.id)
      const from = node.parent === null ? undefined : position.get(node.parent)
      if (from !== undefined) links.append(linkPath(from, at, report))
      nodes.append(
        node.id === ROOT_NODE ? rootNode(at) : this.#volunteerNode(node.id, at, report, showLabels),
      )
    }
    root.append(links, nodes)
    this.#show(root, width, position.get(ROOT_NODE)?.x ?? 0)
  }

  /** A volunteer's node: its circle in its colour, its tooltip, and its name under it when `showLabels`. */
  #volunteerNode(
    id: string,
    at: Point,
    report: VolunteerReport | undefined,
    showLabels: boolean,
  ): SVGGElement {
    const group = svg('g', { class: 'node', transform: `translate(${at.x},${at.y})`, 'data-id': id })
    const name = report?.deviceName || id
    const title = svg('title', {})
    title.textContent = report
      ? `${name} (${id})\n${report.transport}, depth ${report.depth}\n` +
        `${formatCount(report.processed)} processed, ${formatRate(report.throughput)} ${report.units}/s`
      : id
    group.append(title, svg('circle', { r: NODE_RADIUS, fill: this.#colors.colorOf(id) }))
    if (showLabels) {
      const label = svg('text', { y: NODE_RADIUS + 15, 'text-anchor': 'middle' })
      label.textContent = truncate(name, TREE_LABEL_LENGTH)
      group.append(label)
    }
    return group
  }

  /**
   * Shows the drawing `root`, `width` pixels wide. A tree wider than the panel is scrolled to its root (at
   * `rootX`) the first time; after that, the viewer's own scroll is kept.
   */
  #show(root: SVGSVGElement, width: number, rootX: number): void {
    const scrolled = this.#container.scrollLeft
    this.#container.replaceChildren(root)
    if (width <= this.#container.clientWidth) return
    if (this.#centred) {
      this.#container.scrollLeft = scrolled
    } else {
      this.#container.scrollLeft = rootX - this.#container.clientWidth / 2
      this.#centred = true
    }
  }
}

/** A node's place in the drawing, in pixels. */
interface Point {
  readonly x: number
  readonly y: number
}

/** The line from a volunteer (at `at`) up to its parent (at `from`): solid for WebRTC, dashed for WebSocket. */
function linkPath(from: Point, at: Point, report: VolunteerReport | undefined): SVGPathElement {
  const midY = (from.y + at.y) / 2
  return svg('path', {
    d: `M${from.x},${from.y} C${from.x},${midY} ${at.x},${midY} ${at.x},${at.y}`,
    class: report?.transport === 'webrtc' ? 'link webrtc' : 'link websocket',
  })
}

/** The root's node: a larger circle, labelled `root`. */
function rootNode(at: Point): SVGGElement {
  const group = svg('g', { class: 'node root', transform: `translate(${at.x},${at.y})`, 'data-id': 'root' })
  const title = svg('title', {})
  title.textContent = 'pando (the root)'
  group.append(title, svg('circle', { r: ROOT_RADIUS }))
  const label = svg('text', { y: 4, 'text-anchor': 'middle', class: 'root-label' })
  label.textContent = 'root'
  group.append(label)
  return group
}
