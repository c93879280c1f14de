import { describe, expect, it } from 'vitest'
import { isControlMessage, parseControlMessage } from '../src/index.ts'

describe('isControlMessage', () => {
  it("tells the overlay's messages from the application's", () => {
    expect(isControlMessage({ type: 'heartbeat' })).toBe(true)
    expect(isControlMessage({ type: 'jobs' })).toBe(false)
    expect(isControlMessage('heartbeat')).toBe(false)
    expect(isControlMessage(null)).toBe(false)
  })
})

describe('parseControlMessage', () => {
  const valid = [
    { type: 'join-signal', origin: 'o', seq: 0, weight: 1, signal: { sdp: '' } },
    { type: 'answer-signal', origin: 'o', signal: null },
    { type: 'subtree-report', id: 'n', size: 1, pending: 0, workers: 0, received: 0 },
    { type: 'position', parent: 'p', depth: 1 },
    { type: 'heartbeat' },
    { type: 'heartbeat', sentAt: 12.5 },
    { type: 'heartbeat', sentAt: 40, echo: 12.5, heldMs: 3 },
  ] as const

  it('returns well-formed messages as they are', () => {
    for (const m of valid) expect(parseControlMessage(m)).toBe(m)
  })

  it('throws a ProtocolError naming the first bad field', () => {
    const bad: [object, string][] = [
      [{ type: 'join-signal', origin: '', seq: 0, weight: 1, signal: 1 }, 'origin'],
      [{ type: 'join-signal', origin: 'o', seq: -1, weight: 1, signal: 1 }, 'seq'],
      [{ type: 'join-signal', origin: 'o', seq: 0, weight: 0, signal: 1 }, 'weight'],
      [{ type: 'join-signal', origin: 'o', seq: 0, weight: 1 }, 'signal'],
      [{ type: 'subtree-report', id: 'n', size: 1.5, pending: 0, workers: 0, received: 0 }, 'size'],
      [{ type: 'position', parent: 'p', depth: 0 }, 'depth'],
      [{ type: 'heartbeat', sentAt: -1 }, 'sentAt'],
      [{ type: 'heartbeat', sentAt: 1, echo: 'x', heldMs: 0 }, 'echo'],
      [{ type: 'heartbeat', echo: 1 }, 'echo'],
      [{ type: 'heartbeat', echo: 1, heldMs: Number.POSITIVE_INFINITY }, 'heldMs'],
    ]
    for (const [m, field] of bad) {
      expect(() => parseControlMessage(m as never)).toThrow(
        expect.objectContaining({ name: 'ProtocolError', message: expect.stringContaining(`'${field}'`) }),
      )
    }
  })
})
