import { debugVolunteers } from './debug-log.ts'

/**
 * The volunteers connected now, whatever their transport, and the notices of their joins and leaves: one
 * count for the notices, the progress line and the dashboard's VOLUNTEERS, right from the first join (the
 * volunteers' own reports only come every reporting interval).
 *
 * Volunteers are counted by the link they reach the root by: a WebSocket volunteer is one; a child of the
 * root in the WebRTC tree is its whole subtree (its size, as the overlay last reported it, at least 1).
 */
export class VolunteerRoster {
  readonly #sizes = new Map<unknown, number>()
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
   * A link joined, with `size` volunteers behind it. `name` is the device name the volunteer chose, when the
   * root knows it at once (a WebSocket volunteer's hello), already made safe for the terminal.
   */
  join(link: unknown, size = 1, name?: string): void {
    if (this.#sizes.has(link)) return
    this.#sizes.set(link, 0)
    this.#resize(link, size, name)
  }

  /** The volunteers behind `link` are now `size` (a tree child's subtree grew or shrank). */
  resize(link: unknown, size: number): void {
    if (this.#sizes.has(link)) this.#resize(link, size)
  }

  /** A link closed, for `reason` (already made safe for the terminal): its volunteers left. */
  leave(link: unknown, reason: string): void {
    const size = this.#sizes.get(link)
    if (size === undefined) return
    this.#sizes.delete(link)
    this.#connected -= size
    debugVolunteers('a link of %d left: %s (%d connected)', size, reason, this.#connected)
    if (size > 0) this.#say(`${size === 1 ? 'a volunteer' : `${size} volunteers`} left: ${reason}`)
  }

  /** The run is over: volunteers that leave now do so because it ended, which is no news. */
  end(): void {
    this.#ended = true
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
      const who =
        name !== undefined ? `volunteer '${name}'` : delta === 1 ? 'a volunteer' : `${delta} volunteers`
      this.#say(`${who} joined`)
    } else {
      this.#say(`${-delta === 1 ? 'a volunteer' : `${-delta} volunteers`} left`)
    }
  }

  #say(what: string): void {
    if (!this.#ended) this.#notify(`${what} (${this.#connected} connected)`)
  }
}
