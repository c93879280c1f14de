import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { JoinFallback } from '../src/join-fallback.ts'

describe('JoinFallback', () => {
  let reasons: string[]
  let watch: JoinFallback

  beforeEach(() => {
    vi.useFakeTimers()
    reasons = []
    watch = new JoinFallback({ maxFailures: 3, timeoutMs: 5_000 }, (reason) => reasons.push(reason))
    watch.start()
  })

  afterEach(() => {
    vi.useRealTimers()
  })

  it('gives up after maxFailures failed attempts, naming the last error', () => {
    watch.failed(new Error('one'))
    watch.failed(new Error('two'))
    expect(reasons).toEqual([])
    watch.failed(Object.assign(new Error('three'), { name: 'JoinRejectedError' }))
    expect(reasons).toEqual(['3 join attempts failed, the last with JoinRejectedError: three'])
  })

  it('gives up when no parent came within the timeout, once', () => {
    vi.advanceTimersByTime(4_999)
    expect(reasons).toEqual([])
    vi.advanceTimersByTime(1)
    watch.failed(new Error('late'))
    watch.failed(new Error('late'))
    watch.failed(new Error('late'))
    expect(reasons).toEqual(['no parent within 5000 ms'])
  })

  it('never gives up once the page had a parent', () => {
    watch.failed(new Error('one'))
    watch.joined()
    watch.failed(new Error('two'))
    watch.failed(new Error('three'))
    vi.advanceTimersByTime(60_000)
    expect(reasons).toEqual([])
  })
})
