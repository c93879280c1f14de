import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { ItemDeadline, itemTimeoutOutcome } from '../src/item-deadline.ts'

describe('ItemDeadline', () => {
  beforeEach(() => {
    vi.useFakeTimers()
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  /** Whether `deadline.expired` has resolved by now. */
  async function hasExpired(deadline: ItemDeadline): Promise<boolean> {
    let expired = false
    void deadline.expired.then(() => (expired = true))
    await vi.advanceTimersByTimeAsync(0)
    return expired
  }

  describe('#expired', () => {
    it('resolves once the timeout passes with no progress', async () => {
      const deadline = new ItemDeadline(1_000)
      await vi.advanceTimersByTimeAsync(999)
      expect(await hasExpired(deadline)).toBe(false)
      await vi.advanceTimersByTimeAsync(1)
      expect(await hasExpired(deadline)).toBe(true)
    })
  })

  describe('#progress', () => {
    it('counts the timeout again from the latest progress', async () => {
      const deadline = new ItemDeadline(1_000)
      for (let i = 0; i < 5; i++) {
        await vi.advanceTimersByTimeAsync(900)
        deadline.progress()
      }
      expect(await hasExpired(deadline)).toBe(false)
      await vi.advanceTimersByTimeAsync(1_000)
      expect(await hasExpired(deadline)).toBe(true)
    })

    it('sets its timer again only when it fires early, not at each progress (a Worker moves on some 50 times a second)', async () => {
      const setTimer = vi.spyOn(globalThis, 'setTimeout')
      const deadline = new ItemDeadline(1_000)
      for (let i = 0; i < 100; i++) {
        await vi.advanceTimersByTimeAsync(20)
        deadline.progress()
      }
      // 2 s of progress every 20 ms: the one timer fired twice, early, and was set again for what was left.
      expect(setTimer.mock.calls.length).toBeLessThanOrEqual(3)
      await vi.advanceTimersByTimeAsync(999)
      expect(await hasExpired(deadline)).toBe(false)
      await vi.advanceTimersByTimeAsync(1)
      expect(await hasExpired(deadline)).toBe(true)
      setTimer.mockRestore()
    })
  })

  describe('#stop', () => {
    it('means it never expires, whatever comes after', async () => {
      const deadline = new ItemDeadline(1_000)
      deadline.stop()
      deadline.progress()
      deadline.stop()
      await vi.advanceTimersByTimeAsync(10_000)
      expect(await hasExpired(deadline)).toBe(false)
      expect(vi.getTimerCount()).toBe(0)
    })
  })
})

describe('itemTimeoutOutcome', () => {
  it('is a failure named ItemTimeoutError whose message names the deadline and the option', () => {
    expect(itemTimeoutOutcome(7, 2_500)).toEqual({
      id: 7,
      ok: false,
      error: {
        name: 'ItemTimeoutError',
        message:
          'no result within the item deadline of 2500 ms (--item-timeout): the Worker was stopped and replaced',
      },
    })
  })
})
