import { describe, expect, it } from 'vitest'
import { candidateAddress, filterSignal, isAddressInRange } from '../src/index.ts'

const candidate = (address: string): { type: string; candidate: { candidate: string; sdpMid: string } } => ({
  type: 'candidate',
  candidate: { candidate: `candidate:1 1 udp 2122260223 ${address} 54400 typ host`, sdpMid: '0' },
})

describe('isAddressInRange', () => {
  it.each([
    ['127.0.0.1', 'loopback', true],
    ['127.8.9.10', 'loopback', true],
    ['::1', 'loopback', true],
    ['192.168.1.5', 'loopback', false],
    ['192.168.1.5', 'private', true],
    ['10.0.0.1', 'private', true],
    ['172.16.0.1', 'private', true],
    ['172.32.0.1', 'private', false],
    ['fe80::1', 'private', true],
    ['fd12:3456::1', 'private', true],
    ['0c1d2e3f-aaaa-bbbb.local', 'private', true],
    ['0c1d2e3f-aaaa-bbbb.local', 'loopback', false],
    ['8.8.8.8', 'private', false],
    ['8.8.8.8', 'any', true],
    ['2001:db8::1', 'private', false],
  ] as const)('%s in %s: %s', (address, range, expected) => {
    expect(isAddressInRange(address, range)).toBe(expected)
  })
})

describe('candidateAddress', () => {
  it('reads the address of a candidate line, with or without the a= prefix', () => {
    expect(candidateAddress('candidate:1 1 UDP 2114977791 127.0.0.1 38450 typ host')).toBe('127.0.0.1')
    expect(candidateAddress('a=candidate:1 1 UDP 2114977791 10.1.2.3 38450 typ host')).toBe('10.1.2.3')
    expect(candidateAddress('not a candidate')).toBeUndefined()
  })
})

describe('filterSignal', () => {
  it('drops a trickled candidate outside the range and keeps one inside', () => {
    expect(filterSignal(candidate('192.168.1.5'), 'loopback')).toBeUndefined()
    expect(filterSignal(candidate('127.0.0.1'), 'loopback')).toEqual(candidate('127.0.0.1'))
    expect(filterSignal(candidate('192.168.1.5'), 'any')).toEqual(candidate('192.168.1.5'))
  })

  it('keeps the end-of-candidates marker', () => {
    const end = { type: 'candidate', candidate: { candidate: '', sdpMid: '0' } }
    expect(filterSignal(end, 'loopback')).toEqual(end)
  })

  it('removes the candidate lines outside the range from an SDP', () => {
    const sdp = [
      'v=0',
      'a=candidate:1 1 udp 2122260223 127.0.0.1 5000 typ host',
      'a=candidate:2 1 udp 2122260223 192.168.1.5 5000 typ host',
      'a=end-of-candidates',
    ].join('\r\n')
    expect(filterSignal({ type: 'offer', sdp }, 'loopback')).toEqual({
      type: 'offer',
      sdp: ['v=0', 'a=candidate:1 1 udp 2122260223 127.0.0.1 5000 typ host', 'a=end-of-candidates'].join(
        '\r\n',
      ),
    })
  })
})
