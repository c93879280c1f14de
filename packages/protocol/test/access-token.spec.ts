import { describe, expect, it } from 'vitest'
import { withPageToken } from '../src/index.ts'

describe('withPageToken', () => {
  it("resolves a URL against the page, with the page's token and no fragment", () => {
    expect(withPageToken('run/config.json', 'http://h:5000/?token=T0k-_#protocol=websocket')).toBe(
      'http://h:5000/run/config.json?token=T0k-_',
    )
    expect(withPageToken('/volunteer', 'https://example.org/?token=abc')).toBe(
      'https://example.org/volunteer?token=abc',
    )
  })

  it('replaces a token the URL already has, keeps its other parameters, and adds none without one', () => {
    expect(withPageToken('run/bundle.js?v=2&token=old', 'http://h/?token=new')).toBe(
      'http://h/run/bundle.js?v=2&token=new',
    )
    expect(withPageToken('run/bundle.js', 'http://h/#device=x')).toBe('http://h/run/bundle.js')
  })
})
