import type { VolunteerStanding } from '@pando/protocol'
import { exclusionText } from '../standing-text.ts'
import { element, make } from './dom.ts'

/**
 * `#excluded-volunteers`, under the volunteers table: the volunteers the run excluded for their results
 * (they left the table when their link closed), each `li` with `data-id`, its name and why; hidden while none
 * is.
 */
export class ExcludedView {
  readonly #section: HTMLElement
  readonly #list: HTMLUListElement

  constructor(doc: Document) {
    this.#section = element(doc, 'excluded-volunteers', HTMLElement)
    this.#list = element(doc, 'excluded-list', HTMLUListElement)
  }

  /** Shows the excluded among `standings`, named by `labelOf` (the label the volunteer had while it reported). */
  update(standings: readonly VolunteerStanding[], labelOf: (id: string) => string): void {
    const excluded = standings.filter((standing) => standing.excluded !== undefined)
    this.#list.replaceChildren(
      ...excluded.map((standing) => {
        const item = make('li')
        item.dataset.id = standing.id
        item.append(make('span', 'name', labelOf(standing.id)), ` — ${exclusionText(standing)}`)
        item.title = standing.excluded ?? ''
        return item
      }),
    )
    this.#section.hidden = excluded.length === 0
  }
}
