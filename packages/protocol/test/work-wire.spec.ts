import { describe, expect, it } from 'vitest'
import { parseRootMessage, parseVolunteerMessage, ProtocolError, toWire, type Outcome } from '../src/index.ts'
import { parseTreeWorkMessage } from '../src/tree-validate.ts'

const jobs = [
  { id: 0, value: 'zero' },
  { id: 7, value: 'a "quoted" value' },
]
const outcomes: Outcome[] = [
  { id: 0, ok: true, result: '0' },
  { id: 7, ok: false, error: { name: 'TypeError', message: 'bad', stack: 'at f' } },
  { id: 9, ok: true, result: '81' },
]
const wireText = <M extends { readonly type: string }>(message: M): string => JSON.stringify(toWire(message))

describe('work messages on the wire', () => {
  it('carry jobs and outcomes in columns, and come back whole through every parser', () => {
    expect(toWire({ type: 'jobs', jobs })).toEqual({
      type: 'jobs',
      ids: [0, 7],
      values: ['zero', 'a "quoted" value'],
    })
    expect(parseRootMessage(wireText({ type: 'jobs', jobs }))).toEqual({ type: 'jobs', jobs })
    expect(parseTreeWorkMessage(JSON.parse(wireText({ type: 'jobs', jobs })))).toEqual({ type: 'jobs', jobs })
    const back = parseVolunteerMessage(wireText({ type: 'outcomes', outcomes }))
    expect(back).toEqual({ type: 'outcomes', outcomes: [outcomes[0], outcomes[2], outcomes[1]] })
    expect(parseTreeWorkMessage(JSON.parse(wireText({ type: 'outcomes', outcomes })))).toEqual(back)
  })

  it('leaves other messages as they are', () => {
    const status = { type: 'heartbeat' } as const
    expect(toWire(status)).toBe(status)
  })

  it('refuses columns that do not match, bad ids, non-strings and malformed failures', () => {
    const bad = [
      { type: 'jobs', ids: [1, 2], values: ['a'] },
      { type: 'jobs', ids: [-1], values: ['a'] },
      { type: 'jobs', ids: [1.5], values: ['a'] },
      { type: 'jobs', ids: [1], values: [1] },
      { type: 'jobs', jobs: [{ id: 1, value: 'a' }] },
      { type: 'outcomes', ids: [1], results: ['a'] },
      { type: 'outcomes', ids: [], results: [], failures: [{ id: 1, ok: true, result: 'x' }] },
      { type: 'outcomes', ids: [], results: [], failures: [{ id: 1, ok: false, error: { name: 'E' } }] },
      { type: 'outcomes', ids: [], results: [], failures: [null] },
    ]
    for (const message of bad) {
      expect(() => parseTreeWorkMessage(message), JSON.stringify(message)).toThrow(ProtocolError)
    }
  })
})
