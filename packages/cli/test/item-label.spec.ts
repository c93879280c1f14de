import { describe, expect, it } from 'vitest'
import { errorSummary, itemFailureMessage, itemPosition, itemPreview } from '../src/item-label.ts'

describe('itemPosition', () => {
  it('names an item by its line, argument or rank from the peer, counting from 1', () => {
    expect(itemPosition('stdin', 0)).toBe('line 1 of standard input')
    expect(itemPosition('arguments', 2)).toBe('item 3 of the command line')
    expect(itemPosition('peer', 9)).toBe('item 10 from the peer')
  })
})

describe('itemPreview', () => {
  it('quotes the item and escapes what a terminal would not show', () => {
    expect(itemPreview('7')).toBe('"7"')
    expect(itemPreview('a\tb"c')).toBe('"a\\tb\\"c"')
  })

  it('truncates a long item to 60 characters, the last an ellipsis', () => {
    const preview = itemPreview('x'.repeat(100))
    expect(preview).toBe(`"${'x'.repeat(59)}…"`)
    expect(itemPreview('x'.repeat(60))).toBe(`"${'x'.repeat(60)}"`)
  })

  it('does not cut a character in two', () => {
    expect(itemPreview('😀'.repeat(70))).toBe(`"${'😀'.repeat(59)}…"`)
  })
})

describe('itemFailureMessage', () => {
  it('names the item, its attempts and the error', () => {
    const error = { name: 'Error', message: '7 is a multiple of 7' }
    expect(itemFailureMessage('stdin', { id: 7, value: '7', error, attempts: 3 })).toBe(
      'the function failed on line 8 of standard input, "7" (3 attempts): Error: 7 is a multiple of 7',
    )
    expect(itemFailureMessage('arguments', { id: 0, value: 'a', error, attempts: 1 })).toContain(
      '(1 attempt)',
    )
  })

  it('shows errors without a message by their name', () => {
    expect(errorSummary({ name: 'TypeError', message: '' })).toBe('TypeError')
    expect(errorSummary({ name: 'Error', message: 'boom' })).toBe('Error: boom')
  })
})
