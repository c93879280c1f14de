import { MAX_LINK_ITEM_CHARS, type Outcome } from '@pando/protocol'
import { describe, expect, it } from 'vitest'
import { packOutcomes } from '../src/outcome-batches.ts'

const ok = (id: number, size: number): Outcome => ({ id, ok: true, result: 'x'.repeat(size) })

describe('packOutcomes', () => {
  it('keeps a small batch in one message', () => {
    const outcomes = [ok(0, 10), ok(1, 10)]
    expect(packOutcomes(outcomes, 1_000)).toEqual([outcomes])
  })

  it('splits a batch so that every message fits, in order', () => {
    const outcomes = [0, 1, 2, 3, 4].map((id) => ok(id, 300))
    const groups = packOutcomes(outcomes, 1_000)
    expect(groups.flat()).toEqual(outcomes)
    for (const group of groups) {
      expect(JSON.stringify({ type: 'outcomes', outcomes: group }).length).toBeLessThanOrEqual(1_000)
    }
    expect(groups.length).toBeGreaterThan(1)
  })

  it('sends a result larger than one message alone (a tree link carries it in chunks)', () => {
    expect(packOutcomes([ok(0, 10), ok(1, 5_000), ok(2, 10)], 1_000)).toEqual([
      [ok(0, 10)],
      [ok(1, 5_000)],
      [ok(2, 10)],
    ])
  })

  it('replaces a result larger than any link carries by a TransportLimitError for its id', () => {
    const [[small, large]] = packOutcomes([ok(0, 10), ok(1, MAX_LINK_ITEM_CHARS - 1)], 1_000) as [Outcome[]]
    expect(small).toEqual(ok(0, 10))
    expect(large).toEqual({
      id: 1,
      ok: false,
      error: {
        name: 'TransportLimitError',
        message: `the result is ${String(MAX_LINK_ITEM_CHARS + 1)} characters of JSON; a link carries at most ${String(MAX_LINK_ITEM_CHARS)}`,
      },
    })
  })

  it('gives no message for no outcomes', () => {
    expect(packOutcomes([])).toEqual([])
  })
})
