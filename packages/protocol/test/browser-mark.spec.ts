// Browser marks (browser-mark.ts): the root's welcome gives one, the page's hello sends it back; both are
// checked where they are parsed.
import { describe, expect, it } from 'vitest'
import { parseRootMessage, parseVolunteerMessage, ProtocolError } from '../src/index.ts'

const MARK = 'Zq3_-x8Yb0aB1cD2eF3gH4iJ'
const hello = { type: 'hello', protocolVersion: 1, deviceName: 'a' }
const welcome = { type: 'welcome', volunteerId: 'v1', config: { bundleUrl: 'b.js', moduleName: 'm.js' } }

describe('browser marks in hello and welcome', () => {
  it('carries a mark both ways, and none when there is none', () => {
    expect(parseVolunteerMessage(JSON.stringify({ ...hello, browserMark: MARK }))).toEqual({
      ...hello,
      browserMark: MARK,
    })
    expect(parseVolunteerMessage(JSON.stringify(hello))).toEqual(hello)
    expect(parseRootMessage(JSON.stringify({ ...welcome, browserMark: MARK }))).toEqual({
      ...welcome,
      browserMark: MARK,
    })
    expect(parseRootMessage(JSON.stringify(welcome))).toEqual(welcome)
  })

  it.each([
    ['too short', 'abc'],
    ['too long', 'a'.repeat(65)],
    ['not URL-safe', `${MARK.slice(0, 20)}<%>`],
    ['not a string', 42],
  ])('refuses a mark %s', (_, mark) => {
    expect(() => parseVolunteerMessage(JSON.stringify({ ...hello, browserMark: mark }))).toThrow(
      new ProtocolError('hello.browserMark is not a mark'),
    )
    expect(() => parseRootMessage(JSON.stringify({ ...welcome, browserMark: mark }))).toThrow(ProtocolError)
  })
})
