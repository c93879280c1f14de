// The browsers of a run (browser-marks.ts): a page keeps the mark its welcome gave; once its volunteer is
// excluded, a hello with that mark is refused, and told the first time only.
import { describe, expect, it } from 'vitest'
import { BrowserMarks } from '../src/browser-marks.ts'

describe('BrowserMarks', () => {
  it('gives a new mark to a page without one, or with one this run did not give, and keeps a known one', () => {
    const marks = new BrowserMarks()
    const first = marks.admit('v1', undefined)
    expect(first).toEqual({ admitted: true, mark: expect.stringMatching(/^[\w-]{24}$/) })
    const mark = first.admitted ? first.mark : ''
    expect(marks.admit('v2', mark)).toEqual({ admitted: true, mark })
    const stranger = marks.admit('v3', 'made-up-mark-0123456789')
    expect(stranger.admitted && stranger.mark !== 'made-up-mark-0123456789' && stranger.mark !== mark).toBe(
      true,
    )
  })

  it('refuses the browser of an excluded volunteer, whichever of its tabs comes back, and says so once', () => {
    const marks = new BrowserMarks()
    const liar = marks.admit('liar', undefined)
    const honest = marks.admit('honest', undefined)
    if (!liar.admitted || !honest.admitted) throw new Error('admitted')
    marks.exclude('liar', 'was outvoted on 3 items: excluded')
    const refusal = { admitted: false, reason: 'was outvoted on 3 items: excluded' }
    expect(marks.admit('liar, reloaded', liar.mark)).toEqual({ ...refusal, firstRefusal: true })
    expect(marks.admit('liar, again', liar.mark)).toEqual({ ...refusal, firstRefusal: false })
    // Another browser is not affected, nor a page that forgot its mark (it cannot be told apart).
    expect(marks.admit('honest, reloaded', honest.mark)).toEqual({ admitted: true, mark: honest.mark })
    expect(marks.admit('liar, private window', undefined).admitted).toBe(true)
    // An unknown volunteer's exclusion changes nothing.
    marks.exclude('nobody', 'why')
    expect(marks.admit('honest, again', honest.mark).admitted).toBe(true)
  })

  it('admits a tree tab again by its id (it rejoined under a new parent), unless it was excluded itself', () => {
    const marks = new BrowserMarks()
    const liar = marks.admit('liar', undefined)
    if (!liar.admitted) throw new Error('admitted')
    // Another tab of the same browser (the storage is shared), admitted before the liar was excluded.
    expect(marks.admit('sibling', liar.mark)).toEqual({ admitted: true, mark: liar.mark })
    marks.exclude('liar', 'was outvoted on 2 items: excluded')
    expect(marks.admit('sibling', liar.mark)).toEqual({ admitted: true, mark: liar.mark })
    expect(marks.admit('liar', liar.mark)).toEqual({
      admitted: false,
      reason: 'was outvoted on 2 items: excluded',
      firstRefusal: false,
    })
    // A new tab of that browser (a reload) is refused.
    expect(marks.admit('liar, reloaded', liar.mark).admitted).toBe(false)
  })
})
