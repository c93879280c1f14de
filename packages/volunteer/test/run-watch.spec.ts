import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { NoRunYetError, RunEndedError } from '../src/run-config.ts'
import { RunWatch } from '../src/run-watch.ts'

/** What one check of the server finds: the run served, a network failure, no root, the run ended, no answer. */
type Answer = 'served' | 'unreachable' | 'no-run' | 'ended' | 'silent'

describe('RunWatch', () => {
  beforeEach(() => {
    vi.useFakeTimers()
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  /** A watch whose checks answer as `answers` says, one after the other (then the last, again). */
  function watch(answers: readonly Answer[]): { events: string[]; aborted: () => number; watch: RunWatch } {
    let calls = 0
    let aborted = 0
    const events: string[] = []
    const runWatch = new RunWatch({
      intervalMs: 100,
      failures: 2,
      timeoutMs: 500,
      check: (signal) => {
        const answer = answers[Math.min(calls++, answers.length - 1)]
        if (answer === 'unreachable') return Promise.reject(new TypeError('Failed to fetch'))
        if (answer === 'no-run') return Promise.reject(new NoRunYetError('no run yet (HTTP 503)'))
        if (answer === 'ended') return Promise.reject(new RunEndedError('the last run finished (HTTP 503)'))
        if (answer === 'silent') {
          return new Promise((_, reject) =>
            signal.addEventListener('abort', () => {
              aborted++
              reject(new DOMException('aborted', 'AbortError'))
            }),
          )
        }
        return Promise.resolve({})
      },
      onUnreachable: () => events.push('unreachable'),
      onReachable: () => events.push('reachable'),
      onEnded: () => events.push('ended'),
    })
    return { events, aborted: () => aborted, watch: runWatch }
  }

  it('never takes failures for the end of the run: it says the root cannot be reached, once, and keeps asking', async () => {
    const { events, watch: runWatch } = watch([
      'served',
      'unreachable',
      'served',
      'unreachable',
      'unreachable',
    ])
    runWatch.start()
    await vi.advanceTimersByTimeAsync(400)
    expect(events).toEqual([])
    await vi.advanceTimersByTimeAsync(100)
    expect(events).toEqual(['unreachable'])
    await vi.advanceTimersByTimeAsync(10_000)
    expect(events).toEqual(['unreachable'])
  })

  it('says the root is reached again once its run is served', async () => {
    const { events, watch: runWatch } = watch(['unreachable', 'no-run', 'unreachable', 'served'])
    runWatch.start()
    await vi.advanceTimersByTimeAsync(200)
    expect(events).toEqual(['unreachable'])
    await vi.advanceTimersByTimeAsync(200)
    expect(events).toEqual(['unreachable', 'reachable'])
    await vi.advanceTimersByTimeAsync(1_000)
    expect(events).toEqual(['unreachable', 'reachable'])
  })

  it('counts a pando-server with no root as a root that cannot be reached', async () => {
    const { events, watch: runWatch } = watch(['no-run'])
    runWatch.start()
    await vi.advanceTimersByTimeAsync(1_000)
    expect(events).toEqual(['unreachable'])
  })

  it('counts a check with no answer in time as a failure, and aborts it', async () => {
    const { events, aborted, watch: runWatch } = watch(['silent'])
    runWatch.start()
    await vi.advanceTimersByTimeAsync(100 + 500)
    expect(events).toEqual([])
    expect(aborted()).toBe(1)
    await vi.advanceTimersByTimeAsync(100 + 500)
    expect(events).toEqual(['unreachable'])
  })

  it('says the run ended when the server says so, and stops asking', async () => {
    const { events, watch: runWatch } = watch(['unreachable', 'unreachable', 'ended', 'served'])
    runWatch.start()
    await vi.advanceTimersByTimeAsync(300)
    expect(events).toEqual(['unreachable', 'ended'])
    await vi.advanceTimersByTimeAsync(1_000)
    expect(events).toEqual(['unreachable', 'ended'])
  })

  it('stops when the tab is back in a run', async () => {
    const { events, watch: runWatch } = watch(['unreachable'])
    runWatch.start()
    await vi.advanceTimersByTimeAsync(150)
    runWatch.stop()
    await vi.advanceTimersByTimeAsync(1_000)
    expect(events).toEqual([])
  })
})
