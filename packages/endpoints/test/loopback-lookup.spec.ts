import dns from 'node:dns'
import type { LookupAddress } from 'node:dns'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { isLoopbackName, loopbackLookup } from '../src/loopback-lookup.ts'

/** `loopbackLookup(hostname, options)` as a promise of what it called back with. */
function lookUp(hostname: string, options: dns.LookupOptions): Promise<unknown[]> {
  return new Promise((resolve) => {
    loopbackLookup(hostname, options, (...args: unknown[]) => resolve(args))
  })
}

describe('loopbackLookup', () => {
  afterEach(() => {
    vi.restoreAllMocks()
  })

  it('answers localhost with the loopback addresses, without a resolver', async () => {
    const resolver = vi.spyOn(dns, 'lookup')
    const all = (await lookUp('localhost', { all: true })) as [null, LookupAddress[]]
    expect(all).toEqual([
      null,
      [
        { address: '127.0.0.1', family: 4 },
        { address: '::1', family: 6 },
      ],
    ])
    expect(await lookUp('LOCALHOST.', { family: 6 })).toEqual([null, '::1', 6])
    expect(await lookUp('pando.localhost', {})).toEqual([null, '127.0.0.1', 4])
    expect(await lookUp('localhost', { all: true, family: 'IPv4' })).toEqual([
      null,
      [{ address: '127.0.0.1', family: 4 }],
    ])
    expect(resolver).not.toHaveBeenCalled()
  })

  it('asks the resolver for any other name', async () => {
    const resolver = vi
      .spyOn(dns, 'lookup')
      .mockImplementation(((
        _hostname: string,
        _options: dns.LookupOptions,
        callback: (error: null, address: string, family: number) => void,
      ) => callback(null, '192.0.2.7', 4)) as unknown as typeof dns.lookup)
    expect(await lookUp('volunteers.example', {})).toEqual([null, '192.0.2.7', 4])
    expect(resolver).toHaveBeenCalledWith('volunteers.example', {}, expect.any(Function))
  })

  it('knows the names of the loopback', () => {
    expect(['localhost', 'a.localhost', 'Localhost.'].map(isLoopbackName)).toEqual([true, true, true])
    expect(['localhost.example', 'mylocalhost', '127.0.0.1'].map(isLoopbackName)).toEqual([
      false,
      false,
      false,
    ])
  })
})
