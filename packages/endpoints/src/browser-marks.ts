import { randomBytes } from 'node:crypto'
import { MARK_BYTES } from './constants.ts'

/** Whether a volunteer that said hello may join, and the mark its page is to keep. */
export type Admission =
  | { readonly admitted: true; readonly mark: string }
  /** Its browser was excluded earlier in the run: why (the first time it was refused only, `firstRefusal`). */
  | { readonly admitted: false; readonly reason: string; readonly firstRefusal: boolean }

interface MarkedBrowser {
  /** Set once a volunteer of this browser is excluded for its results: why. */
  excluded?: string
  refused: boolean
}

/**
 * The browsers of this run, by the mark the root gave each in its `welcome` (protocol `browser-mark.ts`): a
 * page whose volunteer was excluded for its results is refused when it says hello again with the same mark
 * (it reloaded, or reconnected after the close). A page without a mark, or with one this run did not give,
 * gets a new one: a browser that forgets its storage is a newcomer (README, the trust model).
 */
export class BrowserMarks {
  readonly #browsers = new Map<string, MarkedBrowser>()
  /** The mark of each volunteer admitted, by volunteer id. */
  readonly #markOf = new Map<string, string>()
  /** Volunteers excluded themselves, by id: a tree tab keeps its id when it rejoins under a new parent. */
  readonly #excludedIds = new Map<string, string>()

  /**
   * Admits volunteer `volunteerId`, whose hello (or tree tab's `browser-mark`) carried `sent` (or no mark),
   * unless its browser was excluded. A volunteer admitted before (a tree tab that rejoins under a new
   * parent keeps its id) is admitted again with its mark, unless it was excluded itself: another tab of an
   * excluded browser is refused only when it comes back as a new volunteer (a reload, a new connection).
   */
  admit(volunteerId: string, sent: string | undefined): Admission {
    const excludedItself = this.#excludedIds.get(volunteerId)
    if (excludedItself !== undefined) return { admitted: false, reason: excludedItself, firstRefusal: false }
    const admitted = this.#markOf.get(volunteerId)
    if (admitted !== undefined) return { admitted: true, mark: admitted }
    const known = sent === undefined ? undefined : this.#browsers.get(sent)
    if (known?.excluded !== undefined) {
      const firstRefusal = !known.refused
      known.refused = true
      return { admitted: false, reason: known.excluded, firstRefusal }
    }
    let mark = sent
    if (known === undefined || mark === undefined) {
      mark = randomBytes(MARK_BYTES).toString('base64url')
      this.#browsers.set(mark, { refused: false })
    }
    this.#markOf.set(volunteerId, mark)
    return { admitted: true, mark }
  }

  /** Volunteer `volunteerId` was excluded for `reason`: its browser is refused from now on. */
  exclude(volunteerId: string, reason: string): void {
    this.#excludedIds.set(volunteerId, reason)
    const mark = this.#markOf.get(volunteerId)
    const browser = mark === undefined ? undefined : this.#browsers.get(mark)
    if (browser !== undefined) browser.excluded ??= reason
  }
}
