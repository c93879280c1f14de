import { describe, expect, it } from 'vitest'
import {
  MAX_AVOIDED_TABS,
  parseTreeWorkMessage,
  parseVolunteerMessage,
  toWire,
  type Outcome,
} from '../src/index.ts'

/** A message as it arrives: through JSON, as a data channel carries it. */
const carried = (message: unknown): Record<string, unknown> =>
  JSON.parse(JSON.stringify(message)) as Record<string, unknown>

describe('tabs across the tree (SPEC 16b)', () => {
  it('carries the tab of each outcome in runs, and each failure its own, over a tree link', () => {
    const outcomes: Outcome[] = [
      { id: 1, ok: true, result: '1', by: 'a' },
      { id: 2, ok: true, result: '4', by: 'a' },
      { id: 3, ok: true, result: '9', by: 'b' },
      { id: 4, ok: true, result: '16' },
      { id: 5, ok: false, error: { name: 'Error', message: 'no' }, by: 'c' },
    ]
    const wire = carried(toWire({ type: 'outcomes', outcomes }))
    expect(wire.by).toEqual([
      ['a', 2],
      ['b', 1],
      ['', 1],
    ])
    expect(parseTreeWorkMessage(wire)).toEqual({ type: 'outcomes', outcomes })
    // None named: no `by` on the wire at all.
    const plain = carried(toWire({ type: 'outcomes', outcomes: [{ id: 1, ok: true, result: '1' }] }))
    expect(plain).not.toHaveProperty('by')
  })

  it('carries the tabs a copy must avoid, and only for the jobs that have some', () => {
    const jobs = [
      { id: 64, value: '1', avoid: ['a', 'b'] },
      { id: 65, value: '2', avoid: [] },
      { id: 128, value: '3' },
    ]
    const wire = carried(toWire({ type: 'jobs', jobs }))
    expect(wire.avoid).toEqual([[0, ['a', 'b']]])
    expect(parseTreeWorkMessage(wire)).toEqual({
      type: 'jobs',
      jobs: [
        { id: 64, value: '1', avoid: ['a', 'b'] },
        { id: 65, value: '2' },
        { id: 128, value: '3' },
      ],
    })
  })

  it('refuses runs that do not cover the results exactly, and malformed tabs', () => {
    const base = { type: 'outcomes', ids: [1, 2], results: ['1', '4'], failures: [] }
    for (const by of [
      [['a', 1]],
      [['a', 3]],
      [
        ['a', 0],
        ['b', 2],
      ],
      [
        ['a', 1.5],
        ['b', 1],
      ],
      [[7, 2]],
      [['x'.repeat(65), 2]],
      'a',
    ])
      expect(() => parseTreeWorkMessage({ ...base, by })).toThrow(/malformed outcomes by/)
    const jobs = { type: 'jobs', ids: [1], values: ['1'] }
    for (const avoid of [[[1, ['a']]], [[0, 'a']], [[0, [3]]], [[0, Array(MAX_AVOIDED_TABS + 1).fill('a')]]])
      expect(() => parseTreeWorkMessage({ ...jobs, avoid })).toThrow(/malformed jobs avoid/)
  })

  it('checks a browser-mark both ways', () => {
    const mark = 'A'.repeat(24)
    expect(parseTreeWorkMessage({ type: 'browser-mark', id: 'a' })).toEqual({ type: 'browser-mark', id: 'a' })
    expect(parseTreeWorkMessage({ type: 'browser-mark', id: 'a', mark })).toEqual({
      type: 'browser-mark',
      id: 'a',
      mark,
    })
    expect(() => parseTreeWorkMessage({ type: 'browser-mark', id: '' })).toThrow(/browser-mark id/)
    expect(() => parseTreeWorkMessage({ type: 'browser-mark', id: 'a', mark: 'short' })).toThrow(/not a mark/)
  })

  it('leaves a tab named on a WebSocket out: a volunteer there is one tab, named by its socket', () => {
    const message = parseVolunteerMessage(
      JSON.stringify({ type: 'outcomes', ids: [1], results: ['1'], failures: [], by: [['someone', 1]] }),
    )
    expect(message).toEqual({ type: 'outcomes', outcomes: [{ id: 1, ok: true, result: '1' }] })
  })
})
