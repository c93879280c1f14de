import type { IncomingMessage } from 'node:http'
import os from 'node:os'
import { describe, expect, it } from 'vitest'
import { AccessGuard, createAccessToken, withToken } from '../src/index.ts'

/** Just the parts of a request the guard reads. */
function request(url: string, headers: Record<string, string>): IncomingMessage {
  return { url, headers } as unknown as IncomingMessage
}

describe('createAccessToken', () => {
  it('makes 192 random bits, URL-safe', () => {
    const tokens = new Set(Array.from({ length: 100 }, createAccessToken))
    expect(tokens.size).toBe(100)
    for (const token of tokens) expect(token).toMatch(/^[A-Za-z0-9_-]{32}$/)
  })
})

describe('withToken', () => {
  it('adds ?token= to a URL, or leaves it as it is without a token', () => {
    expect(withToken('http://localhost:5000/monitor/', 'abc')).toBe(
      'http://localhost:5000/monitor/?token=abc',
    )
    expect(withToken('http://localhost:5000/', undefined)).toBe('http://localhost:5000/')
  })
})

describe('AccessGuard', () => {
  const guard = new AccessGuard({ token: 'the-token', allowedHosts: ['Pando.Example.org'] })
  const check = (headers: Record<string, string>, url = '/?token=the-token'): string | undefined =>
    guard.check(request(url, headers))?.message

  it('knows IP literals, localhost, this machine and the allowed names as hosts, and no other', () => {
    for (const host of [
      '127.0.0.1:5000',
      '10.1.2.3',
      '[::1]:5000',
      '[fe80::1]',
      'localhost:5000',
      'tab.localhost',
      os.hostname(),
      `${os.hostname()}.local:5000`,
      'pando.example.org',
      'PANDO.example.org.:443',
    ]) {
      expect({ host, refusal: check({ host }) }).toEqual({ host, refusal: undefined })
    }
    for (const host of ['evil.example', 'pando.example.org.evil.example', '127.0.0.1.nip.io:5000', '']) {
      expect(check({ host })).toMatch(/^pando does not answer to the host name/)
    }
    expect(check({})).toMatch(/^pando does not answer to the host name ""/)
  })

  it("refuses another Origin than the server's own, whatever the scheme", () => {
    expect(check({ host: '127.0.0.1:5000', origin: 'http://127.0.0.1:5000' })).toBeUndefined()
    expect(check({ host: 'pando.example.org', origin: 'https://pando.example.org' })).toBeUndefined()
    expect(check({ host: '127.0.0.1:5000', origin: 'http://127.0.0.1:5001' })).toBe(
      'pages of another origin (http://127.0.0.1:5001) may not use pando',
    )
    expect(check({ host: '127.0.0.1:5000', origin: 'null' })).toBe(
      'pages of another origin (null) may not use pando',
    )
  })

  it('wants the token, compared whatever its length', () => {
    expect(check({ host: 'localhost' }, '/')).toMatch(/^no token: open the URL that pando printed/)
    expect(check({ host: 'localhost' }, '/?token=the-tokeN')).toMatch(/^wrong token/)
    expect(check({ host: 'localhost' }, `/?token=${'x'.repeat(5000)}`)).toMatch(/^wrong token/)
    expect(new AccessGuard({}).check(request('/', { host: 'localhost' }))).toBeUndefined()
  })
})
