import { describe, expect, it } from 'vitest'
import { parseRootMessage, parseVolunteerMessage, ProtocolError, toWire, type Outcome } from '../src/index.ts'
import { parseTreeWorkMessage } from '../src/tree-validate.ts'

const text = (message: unknown): string => JSON.stringify(message)

describe('recall and return messages (stealing)', () => {
  it('pass a recall root → volunteer and parent → child, a return volunteer → root and child → parent', () => {
    expect(parseRootMessage(text({ type: 'recall', count: 3 }))).toEqual({ type: 'recall', count: 3 })
    expect(parseTreeWorkMessage({ type: 'recall', count: 1 })).toEqual({ type: 'recall', count: 1 })
    expect(parseVolunteerMessage(text({ type: 'return', ids: [4, 0, 9] }))).toEqual({
      type: 'return',
      ids: [4, 0, 9],
    })
    expect(parseTreeWorkMessage({ type: 'return', ids: [] })).toEqual({ type: 'return', ids: [] })
  })

  it('refuses a recall the wrong way, a count that is not an integer ≥ 1 and ids that are not job ids', () => {
    expect(() => parseVolunteerMessage(text({ type: 'recall', count: 1 }))).toThrow(ProtocolError)
    expect(() => parseRootMessage(text({ type: 'return', ids: [1] }))).toThrow(ProtocolError)
    for (const count of [0, -1, 1.5, '2', null, undefined, Number.MAX_SAFE_INTEGER + 1]) {
      expect(() => parseRootMessage(text({ type: 'recall', count }))).toThrow(/count must be an integer ≥ 1/)
      expect(() => parseTreeWorkMessage({ type: 'recall', count })).toThrow(ProtocolError)
    }
    for (const ids of [[-1], [1.5], ['1'], [null], 'ids', undefined, { 0: 1 }]) {
      expect(() => parseVolunteerMessage(text({ type: 'return', ids }))).toThrow(
        /ids must be an array of job ids/,
      )
      expect(() => parseTreeWorkMessage({ type: 'return', ids })).toThrow(ProtocolError)
    }
  })
})

describe('the msPerItem of an outcomes message', () => {
  const outcomes: Outcome[] = [{ id: 2, ok: true, result: '4' }]

  it('travels with the outcomes when given, and is left out when not', () => {
    const wire = toWire({ type: 'outcomes', outcomes, msPerItem: 1_000.5 })
    expect(wire).toMatchObject({ msPerItem: 1_000.5 })
    expect(parseVolunteerMessage(text(wire))).toEqual({ type: 'outcomes', outcomes, msPerItem: 1_000.5 })
    expect(parseTreeWorkMessage(JSON.parse(text(wire)))).toEqual({
      type: 'outcomes',
      outcomes,
      msPerItem: 1_000.5,
    })
    const without = toWire({ type: 'outcomes', outcomes })
    expect(without).not.toHaveProperty('msPerItem')
    expect(parseVolunteerMessage(text(without))).toEqual({ type: 'outcomes', outcomes })
  })

  it('must be a finite number ≥ 0', () => {
    for (const msPerItem of [-1, '5', null, true, [1]]) {
      const wire = { ...(toWire({ type: 'outcomes', outcomes }) as object), msPerItem }
      expect(() => parseVolunteerMessage(text(wire))).toThrow(/msPerItem must be a number ≥ 0/)
      expect(() => parseTreeWorkMessage(wire)).toThrow(ProtocolError)
    }
  })
})
