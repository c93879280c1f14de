import { debugVolunteers } from './debug-log.ts'

/** A volunteer as a status names it: its id, and its label, already made safe for the terminal. */
export interface NamedVolunteer {
  readonly id: string
  readonly label: string
}

/**
 * The volunteers connected now, whatever their transport, and the notices of their joins and leaves: one
 * count for the notices, the progress line and the dashboard's VOLUNTEERS, right from the first join (the
 * volunteers' own reports only come every reporting interval).
 *
 * Volunteers are counted by the link they reach the root by: a WebSocket volunteer is one; a child of the
 * root in the WebRTC tree is its whole subtree (its size, as the overlay last reported it, at least 1).
 *
 * A join is announced with the volunteer's label, whatever its transport: a WebSocket volunteer's comes with
 * its hello; a tree tab is counted at once, and announced when a status from its link first names it (a tab
 * sends one as soon as it has a parent, and each tab passes a newcomer's on at once).
 */
export class VolunteerRoster {
  readonly #sizes = new Map<unknown, number>()
  /** The ids of the volunteers announced by name, per tree link (at most as many as are behind it). */
  readonly #announced = new Map<unknown, Set<string>>()
  /** The volunteers each tree link's latest status named: a name may come before its link's size grows. */
  readonly #reported = new Map<unknown, readonly NamedVolunteer[]>()
  readonly #notify: (message: string) => void
  #connected = 0
  #most = 0
  #ended = false

  /** `notify` writes a notice (a volunteer joined…) for people. */
  constructor(notify: (message: string) => void) {
    this.#notify = notify
  }

  /** Volunteers connected now. */
  get connected(): number {
    return this.#connected
  }

  /** The most volunteers connected at once during the run. */
  get most(): number {
    return this.#most
  }

  /**
   * A link joined, with `size` volunteers behind it. `name` is the volunteer's label, when the root knows it
   * at once (a WebSocket volunteer's hello), already made safe for the terminal; without it, the notice
   * waits for {@link named}.
   */
  join(link: unknown, size = 1, name?: string): void {
    if (this.#sizes.has(link)) return
    this.#sizes.set(link, 0)
    this.#resize(link, size, name)
  }

  /** The volunteers behind `link` are now `size` (a tree child's subtree grew or shrank). */
  resize(link: unknown, size: number): void {
    if (!this.#sizes.has(link)) return
    this.#resize(link, size)
    this.#announce(link)
  }

  /**
   * A status from tree link `link` named these volunteers (their labels already made safe for the
   * terminal): those not announced yet are, as joined, as long as the link has that many behind it.
   */
  named(link: unknown, volunteers: readonly NamedVolunteer[]): void {
    if (!this.#sizes.has(link)) return
    this.#reported.set(link, volunteers)
    this.#announce(link)
  }

  /** A link closed, for `reason` (already made safe for the terminal): its volunteers left. */
  leave(link: unknown, reason: string): void {
    const size = this.#sizes.get(link)
    if (size === undefined) return
    this.#sizes.delete(link)
    this.#announced.delete(link)
    this.#reported.delete(link)
    this.#connected -= size
    debugVolunteers('a link of %d left: %s (%d connected)', size, reason, this.#connected)
    if (size > 0) this.#say(`${size === 1 ? 'a volunteer' : `${size} volunteers`} left: ${reason}`)
  }

  /** The run is over: volunteers that leave now do so because it ended, which is no news. */
  end(): void {
    this.#ended = true
  }

  #announce(link: unknown): void {
    const size = this.#sizes.get(link) ?? 0
    const announced = this.#announced.get(link) ?? new Set<string>()
    this.#announced.set(link, announced)
    for (const { id, label } of this.#reported.get(link) ?? []) {
      if (announced.size >= size) return
      if (announced.has(id)) continue
      announced.add(id)
      this.#say(`volunteer '${label}' joined`)
    }
  }

  #resize(link: unknown, size: number, name?: string): void {
    const wanted = Math.max(1, size)
    const delta = wanted - (this.#sizes.get(link) ?? 0)
    if (delta === 0) return
    this.#sizes.set(link, wanted)
    this.#connected += delta
    this.#most = Math.max(this.#most, this.#connected)
    debugVolunteers(
      '%s: %d behind its link (%d connected)',
      name === undefined ? 'a link' : `'${name}'`,
      wanted,
      this.#connected,
    )
    if (delta > 0) {
      if (name !== undefined) this.#say(`volunteer '${name}' joined`)
    } else {
      this.#say(`${-delta === 1 ? 'a volunteer' : `${-delta} volunteers`} left`)
    }
  }

  #say(what: string): void {
    if (!this.#ended) this.#notify(`${what} (${this.#connected} connected)`)
  }
}
