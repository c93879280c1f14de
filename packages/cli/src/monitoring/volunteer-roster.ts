import type { NamedVolunteer, Roster } from '@pando/endpoints'
import { DEFAULT_REPORTING_INTERVAL_MS } from '@pando/protocol'
import {
  NAMING_GRACE_MIN_MS,
  NAMING_GRACE_REPORTS,
  PEER_NAME_CHARS,
  PEER_TEXT_CHARS,
  MAX_NAMES_IN_NOTICE,
} from '../constants.ts'
import { terminalText } from '../terminal-text.ts'
import { debugVolunteers } from './debug-log.ts'

export type { NamedVolunteer } from '@pando/endpoints'

export interface VolunteerRosterOptions {
  /** Writes a notice (a volunteer joined…) for people. */
  readonly notify: (message: string) => void
  /**
   * The run's reporting interval: a tree volunteer that no status names within `NAMING_GRACE_REPORTS` of
   * them (and `NAMING_GRACE_MIN_MS`) is announced without its name. @default 3_000 ms
   */
  readonly reportingIntervalMs?: number
}

/** What the roster knows of one link to the root: a WebSocket volunteer, or a child of the root in the tree. */
interface Link {
  /** Volunteers behind it, as its transport says (a tree child's subtree size, at least 1). */
  size: number
  /** The announced volunteers it holds, by id, with their labels, in the order they were announced. */
  readonly named: Map<string, string>
  /** Volunteers announced without a name (no status named them in time). */
  unnamed: number
  /** Announced volunteers that left while the link stayed, not known yet which (see `#forgetGone`). */
  gone: number
  /** The volunteers its latest status named. */
  reported: readonly NamedVolunteer[]
  /** When the volunteers behind it that no status named yet are announced without a name. */
  timer?: ReturnType<typeof setTimeout>
}

/** `'A'`, `'A' and 'B'`, `'A', 'B' and 2 others`: volunteers as a notice lists them. */
function listOf(names: readonly string[], others: number): string {
  const quoted = names.slice(0, MAX_NAMES_IN_NOTICE).map((name) => `'${name}'`)
  const rest = others + names.length - quoted.length
  if (rest > 0) quoted.push(`${rest} ${rest === 1 ? 'other' : 'others'}`)
  return quoted.length === 1
    ? (quoted[0] ?? '')
    : `${quoted.slice(0, -1).join(', ')} and ${quoted.at(-1) ?? ''}`
}

/**
 * The volunteers connected now, whatever their transport, and the notices of their joins and leaves: one
 * count for the notices, the progress line and the dashboard's VOLUNTEERS.
 *
 * Every volunteer counted was announced once, and only those: a WebSocket volunteer is counted and announced
 * with the label of its hello; a tree tab, once a status from its link names it (a tab sends one as soon as
 * it has a parent, and each tab passes a newcomer's on at once), as long as its link (a child of the root,
 * counted by its subtree's size, as the overlay last reported it) has that many behind it; one whose status
 * never reaches the root is announced without a name after `NAMING_GRACE_REPORTS` reporting intervals (at
 * least `NAMING_GRACE_MIN_MS`).
 *
 * A leave names whom it can, with the label of the join notice: the volunteer of a WebSocket, every
 * volunteer of a tree link that closed (a few by name, the rest counted); a subtree that shrinks says how
 * many left (which ones, the next status tells, and the link's own leave names only those still there).
 */
export class VolunteerRoster implements Roster {
  readonly #links = new Map<unknown, Link>()
  readonly #notify: (message: string) => void
  readonly #graceMs: number
  #connected = 0
  #most = 0
  #ended = false

  constructor(options: VolunteerRosterOptions) {
    this.#notify = options.notify
    this.#graceMs = Math.max(
      NAMING_GRACE_MIN_MS,
      NAMING_GRACE_REPORTS * (options.reportingIntervalMs ?? DEFAULT_REPORTING_INTERVAL_MS),
    )
  }

  /** Volunteers connected now (every one announced). */
  get connected(): number {
    return this.#connected
  }

  /** The most volunteers connected at once during the run. */
  get most(): number {
    return this.#most
  }

  /**
   * A link joined, with `size` volunteers behind it. `name` is the volunteer's label, when the root knows it
   * at once (a WebSocket volunteer's hello), in its own words (made safe for the terminal here): it is
   * counted and announced now; without it, when a status names its volunteers (see {@link named}).
   */
  join(link: unknown, size = 1, words?: string): void {
    if (this.#links.has(link)) return
    const name = words === undefined ? undefined : terminalText(words, PEER_NAME_CHARS)
    const entry: Link = { size: Math.max(1, size), named: new Map(), unnamed: 0, gone: 0, reported: [] }
    this.#links.set(link, entry)
    debugVolunteers('%s: %d behind its link', name === undefined ? 'a link' : `'${name}'`, entry.size)
    if (name === undefined) this.#awaitNames(entry)
    else this.#add(entry, '', name)
  }

  /** The volunteers behind `link` are now `size` (a tree child's subtree grew or shrank). */
  resize(link: unknown, size: number): void {
    const entry = this.#links.get(link)
    if (entry === undefined) return
    entry.size = Math.max(1, size)
    const left = counted(entry) - entry.size
    if (left > 0) {
      entry.gone += left
      this.#count(-left)
      this.#say(`${left === 1 ? 'a volunteer' : `${left} volunteers`} left`)
    }
    this.#announce(entry)
    this.#awaitNames(entry)
  }

  /**
   * A status from tree link `link` named these volunteers (their labels in their own words, made safe for
   * the terminal here): those not announced yet are, as joined, as long as the link has that many behind it.
   */
  named(link: unknown, volunteers: readonly NamedVolunteer[]): void {
    const entry = this.#links.get(link)
    if (entry === undefined) return
    entry.reported = volunteers.map(({ id, label }) => ({ id, label: terminalText(label, PEER_NAME_CHARS) }))
    this.#forgetGone(entry)
    this.#announce(entry, true)
  }

  /** A link closed, for `reason` (the peer's words, maybe: made safe for the terminal here): its volunteers left. */
  leave(link: unknown, words: string): void {
    const entry = this.#links.get(link)
    if (entry === undefined) return
    const reason = terminalText(words, PEER_TEXT_CHARS)
    this.#links.delete(link)
    clearTimeout(entry.timer)
    const size = counted(entry)
    this.#count(-size)
    debugVolunteers('a link of %d left: %s (%d connected)', size, reason, this.#connected)
    if (size === 0) return
    // Which of the named ones a shrink took is not known until a status says it: then none is named.
    const names = entry.gone === 0 ? [...entry.named.values()] : []
    const others = size - names.length
    const who =
      names.length === 0
        ? size === 1
          ? 'a volunteer'
          : `${size} volunteers`
        : `${size === 1 ? 'volunteer' : 'volunteers'} ${listOf(names, others)}`
    this.#say(`${who} left: ${reason}`)
  }

  /** The run is over: volunteers that leave now do so because it ended, which is no news. */
  end(): void {
    this.#ended = true
    for (const entry of this.#links.values()) clearTimeout(entry.timer)
  }

  /**
   * Announces the volunteers the link's latest status names, up to its size. With `fresh` (the status just
   * came), one that another link named moved here (its tab found a new parent in another subtree): see
   * {@link #moveHere}. A stale status never moves one back.
   */
  #announce(entry: Link, fresh = false): void {
    for (const { id, label } of entry.reported) {
      if (entry.named.has(id)) continue
      if (counted(entry) < entry.size) {
        const elsewhere = this.#holderOf(id)
        if (elsewhere === undefined) this.#add(entry, id, label)
        else if (fresh) this.#moveHere(entry, elsewhere, id, label)
      } else if (entry.unnamed > 0) {
        // One announced without a name, named at last: its leave can name it.
        entry.unnamed--
        entry.named.set(id, label)
      }
    }
    if (counted(entry) >= entry.size) {
      clearTimeout(entry.timer)
      entry.timer = undefined
    }
  }

  /** The link that named volunteer `id`, if one did. */
  #holderOf(id: string): Link | undefined {
    for (const entry of this.#links.values()) if (entry.named.has(id)) return entry
    return undefined
  }

  /**
   * Volunteer `id`, announced in link `from`, is now behind `entry`. If `from` shrank for it (a leave was
   * told), it joins again here, told; if not (`from` grew by another tab as it lost this one, so its size
   * did not move), it moves without a notice, and `from` has room for the one it hides.
   */
  #moveHere(entry: Link, from: Link, id: string, label: string): void {
    from.named.delete(id)
    if (from.gone > 0) {
      from.gone--
      this.#add(entry, id, label)
      return
    }
    entry.named.set(id, label)
    this.#announce(from)
    this.#awaitNames(from)
  }

  /** Drops the announced volunteers the latest status no longer names, while some are known to have gone. */
  #forgetGone(entry: Link): void {
    if (entry.gone === 0) return
    const present = new Set(entry.reported.map(({ id }) => id))
    for (const id of [...entry.named.keys()]) {
      if (entry.gone === 0) return
      if (present.has(id)) continue
      entry.named.delete(id)
      entry.gone--
    }
  }

  /** Volunteers behind the link that no status has named yet are announced without a name after a grace. */
  #awaitNames(entry: Link): void {
    if (entry.timer !== undefined || counted(entry) >= entry.size || this.#ended) return
    entry.timer = setTimeout(() => {
      entry.timer = undefined
      if (this.#ended) return
      while (counted(entry) < entry.size) {
        entry.unnamed++
        this.#count(1)
        this.#say('an unnamed volunteer joined: no status of it reached the root')
      }
    }, this.#graceMs)
    entry.timer.unref?.()
  }

  #add(entry: Link, id: string, label: string): void {
    entry.named.set(id, label)
    this.#count(1)
    this.#say(`volunteer '${label}' joined`)
  }

  #count(delta: number): void {
    this.#connected += delta
    this.#most = Math.max(this.#most, this.#connected)
  }

  #say(what: string): void {
    if (!this.#ended) this.#notify(`${what} (${this.#connected} connected)`)
  }
}

/** The volunteers of a link that are counted: every one announced, less those known to have left. */
function counted(entry: Link): number {
  return entry.named.size + entry.unnamed - entry.gone
}
