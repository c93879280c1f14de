import { describe, expect, it } from 'vitest'
import { parseServerAddress } from '../src/networked/host-address.ts'

describe('parseServerAddress', () => {
  it.each([
    ['example.org:5000', 'example.org:5000', 'http://example.org:5000/', 'ws://example.org:5000/root'],
    ['example.org', 'example.org:5000', 'http://example.org:5000/', 'ws://example.org:5000/root'],
    ['localhost:80', 'localhost:80', 'http://localhost:80/', 'ws://localhost:80/root'],
    ['[::1]:5001', '[::1]:5001', 'http://[::1]:5001/', 'ws://[::1]:5001/root'],
    [
      'http://example.org:8080/',
      'example.org:8080',
      'http://example.org:8080/',
      'ws://example.org:8080/root',
    ],
    ['https://example.org', 'example.org:443', 'https://example.org:443/', 'wss://example.org:443/root'],
    [
      'wss://example.org:8443',
      'example.org:8443',
      'https://example.org:8443/',
      'wss://example.org:8443/root',
    ],
  ])('reads %s', (value, display, pageUrl, rootUrl) => {
    expect(parseServerAddress(value)).toEqual({ display, pageUrl, rootUrl })
  })

  it.each([
    ['ftp://example.org', 'has the scheme ftp: (http, https, ws or wss only)'],
    ['example.org:5000/pando', 'has a path (pando-server serves at /)'],
    ['user:pw@example.org:5000', 'holds a user name or password (the secret never goes in a URL)'],
    ['exa mple.org', 'is not a host'],
    ['example.org:99999', 'is not a host'],
  ])('refuses %s', (value, why) => {
    expect(() => parseServerAddress(value)).toThrow(
      `--host ${JSON.stringify(value)} ${why}: give the pando-server as HOST:PORT, e.g. --host example.org:5000 (see 'pando --help')`,
    )
  })
})
