import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { NoRunYetError } from '../src/run-config.ts'
import { RunWatch } from '../src/run-watch.ts'

describe('RunWatch', () => {
  beforeEach(() => {
    vi.useFakeTimers()
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  /** A watch whose checks answer as `answers` says, one after the other (then the last, again). */
  function watch(answers: readonly ('ok' | 'gone' | 'no-run')[]): { gone: () => number; watch: RunWatch } {
    let calls = 0
    let gone = 0
    const runWatch = new RunWatch({
      intervalMs: 100,
      failures: 2,
      check: () => {
        const answer = answers[Math.min(calls++, answers.length - 1)]
        if (answer === 'gone') return Promise.reject(new TypeError('Failed to fetch'))
        if (answer === 'no-run') return Promise.reject(new NoRunYetError('no run yet (HTTP 503)'))
        return Promise.resolve({})
      },
      onGone: () => gone++,
    })
    return { gone: () => gone, watch: runWatch }
  }

  it('says the run is over once the server is gone twice in a row, once', async () => {
    const { gone, watch: runWatch } = watch(['ok', 'gone', 'ok', 'gone', 'gone'])
    runWatch.start()
    await vi.advanceTimersByTimeAsync(400)
    expect(gone()).toBe(0)
    await vi.advanceTimersByTimeAsync(100)
    expect(gone()).toBe(1)
    await vi.advanceTimersByTimeAsync(1_000)
    expect(gone()).toBe(1)
  })

  it('keeps waiting while a pando-server says it has no run yet', async () => {
    const { gone, watch: runWatch } = watch(['no-run'])
    runWatch.start()
    await vi.advanceTimersByTimeAsync(1_000)
    expect(gone()).toBe(0)
  })

  it('stops when the tab is back in a run', async () => {
    const { gone, watch: runWatch } = watch(['gone'])
    runWatch.start()
    await vi.advanceTimersByTimeAsync(150)
    runWatch.stop()
    await vi.advanceTimersByTimeAsync(1_000)
    expect(gone()).toBe(0)
  })
})
