import { describe, expect, it } from 'vitest'
import { GuessLimiter, secretsMatch } from '../src/index.ts'

describe('secretsMatch', () => {
  it('is true for the same secret only', () => {
    expect(secretsMatch('s3cret', 's3cret')).toBe(true)
    expect(secretsMatch('s3cret', 's3creT')).toBe(false)
    expect(secretsMatch('', 's3cret')).toBe(false)
    expect(secretsMatch('héllo wörld', 'héllo wörld')).toBe(true)
  })

  it('compares secrets of any lengths without throwing (digests of equal length)', () => {
    expect(secretsMatch('short', 'x'.repeat(1000))).toBe(false)
    expect(secretsMatch('x'.repeat(1000), 'x'.repeat(1000))).toBe(true)
  })
})

describe('GuessLimiter', () => {
  it('blocks an address after maxFailures wrong secrets, for the rest of the window', () => {
    let now = 0
    const limiter = new GuessLimiter({ maxFailures: 3, windowMs: 60_000, now: () => now })
    for (let i = 0; i < 3; i++) {
      expect(limiter.blocked('10.0.0.1')).toBe(false)
      limiter.failed('10.0.0.1')
    }
    expect(limiter.blocked('10.0.0.1')).toBe(true)
    expect(limiter.blocked('10.0.0.2')).toBe(false)
    now = 59_999
    expect(limiter.blocked('10.0.0.1')).toBe(true)
    now = 60_000
    expect(limiter.blocked('10.0.0.1')).toBe(false)
  })

  it('counts an IPv6 address by its /64, so one subscriber cannot guess from each of its addresses', () => {
    const limiter = new GuessLimiter({ maxFailures: 3, windowMs: 60_000, now: () => 0 })
    for (const address of ['2001:db8:1:2::1', '2001:db8:1:2:aaaa::7', '2001:db8:1:2:ffff:ffff:ffff:fffe']) {
      limiter.failed(address)
    }
    expect(limiter.blocked('2001:db8:1:2::9')).toBe(true)
    expect(limiter.blocked('2001:db8:1:3::1')).toBe(false)
    // IPv4, and IPv4-mapped IPv6 as the same IPv4 address, count alone.
    for (let n = 0; n < 3; n++) limiter.failed('::ffff:192.0.2.1')
    expect(limiter.blocked('192.0.2.1')).toBe(true)
    expect(limiter.blocked('192.0.2.2')).toBe(false)
  })

  it('forgets expired addresses when it tracks many', () => {
    let now = 0
    const limiter = new GuessLimiter({ maxFailures: 1, windowMs: 1_000, now: () => now })
    for (let i = 0; i < 10_000; i++) limiter.failed(`a${i}`)
    now = 1_000
    limiter.failed('fresh')
    expect(limiter.blocked('a0')).toBe(false)
    expect(limiter.blocked('fresh')).toBe(true)
  })
})
