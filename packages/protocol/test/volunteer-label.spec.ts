import { describe, expect, it } from 'vitest'
import { browserDeviceName, isBrowserDeviceName, volunteerLabel } from '../src/index.ts'

const AGENTS: readonly (readonly [agent: string, name: string])[] = [
  [
    'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/140.0.0.0 Safari/537.36',
    'Chrome · Linux',
  ],
  [
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 Edg/126.0.0.0',
    'Edge · Windows',
  ],
  ['Mozilla/5.0 (Macintosh; Intel Mac OS X 14.5; rv:127.0) Gecko/20100101 Firefox/127.0', 'Firefox · macOS'],
  [
    'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36',
    'Chrome · Android',
  ],
  [
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
    'Safari · iOS',
  ],
  ['curl/8.0', 'Browser · unknown OS'],
]

describe('browserDeviceName', () => {
  it('names the browser and the OS of a user agent', () => {
    for (const [agent, name] of AGENTS) {
      expect(browserDeviceName(agent), agent).toBe(name)
      expect(isBrowserDeviceName(name)).toBe(true)
    }
  })
})

describe('volunteerLabel', () => {
  it('shows a chosen name as it is, and the start of the id after a default name, no name or a shared name', () => {
    expect(volunteerLabel('Alice', '3fa2c0')).toBe('Alice')
    expect(volunteerLabel('Chrome · Linux', '3fa2c0')).toBe('Chrome · Linux · 3fa2')
    expect(volunteerLabel('  ', '3fa2c0')).toBe('volunteer · 3fa2')
    expect(volunteerLabel('Alice', '3fa2c0', true)).toBe('Alice · 3fa2')
    expect(isBrowserDeviceName('Chrome · Linux · x')).toBe(false)
    expect(isBrowserDeviceName('Linux x86_64')).toBe(false)
  })
})
