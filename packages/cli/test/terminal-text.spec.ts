import { describe, expect, it } from 'vitest'
import { terminalJson, terminalText } from '../src/terminal-text.ts'

describe('terminalText', () => {
  it('leaves printable text as it is, emoji and accents too', () => {
    expect(terminalText('Pixel 7 — café 😀', 200)).toBe('Pixel 7 — café 😀')
  })

  it('shows escape sequences, controls and forged lines as visible escapes', () => {
    expect(terminalText('\x1b[2J\x1b]0;title\x07', 200)).toBe('\\x1b[2J\\x1b]0;title\\x07')
    expect(terminalText('a\r\nb\tc\x00\x7f', 200)).toBe('a\\r\\nb\\tc\\x00\\x7f')
    expect(terminalText('\u009b31m', 200)).toBe('\\x9b31m')
    expect(terminalText('\u202eevil\u2028', 200)).toBe('\\u202eevil\\u2028')
    expect(terminalText('lone \ud800', 200)).toBe('lone \\ud800')
  })

  it('cuts to the cap, escapes counted, with …', () => {
    expect(terminalText('x'.repeat(10), 10)).toBe('x'.repeat(10))
    expect(terminalText('x'.repeat(11), 10)).toBe(`${'x'.repeat(9)}…`)
    expect(terminalText('😀'.repeat(11), 10)).toBe(`${'😀'.repeat(9)}…`)
    expect(terminalText(`${'x'.repeat(7)}\x1b`, 10)).toBe(`${'x'.repeat(7)}…`)
    expect(terminalText('y'.repeat(440_000), 1_000)).toHaveLength(1_000)
  })
})

describe('terminalJson', () => {
  it('escapes what JSON.stringify leaves raw, keeping the same JSON value', () => {
    const value = { name: '\u009b2J\u202e\x7f', plain: 'é' }
    const json = terminalJson(JSON.stringify(value))
    expect(json).toBe('{"name":"\\u009b2J\\u202e\\u007f","plain":"é"}')
    expect(JSON.parse(json)).toEqual(value)
  })
})
