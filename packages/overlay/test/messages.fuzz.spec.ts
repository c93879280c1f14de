// Fuzz tests of the overlay's control messages: `parseControlMessage` on any JSON, and a tree node fed
// random messages by a child and by its parent. A bad one closes that link with a ProtocolError; nothing
// a peer sends makes the node throw, and what is not the overlay's goes to the application untouched.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { controlMessage, jsonValue } from '../../../test/support/fuzz-arbitraries.ts'
import {
  MAX_DEPTH,
  ProtocolError,
  isControlMessage,
  parseControlMessage,
  type ControlMessage,
} from '../src/index.ts'
import { joinSignal, joinedNode, rootNode } from './util.ts'

const RUNS = 2_000
/** Messages a peer sends in one run of the tree-node properties. */
const MESSAGES_PER_RUN = 30

const nonEmpty = (value: unknown): boolean => typeof value === 'string' && value.length > 0
const count = (value: unknown, min = 0): boolean => Number.isSafeInteger(value) && (value as number) >= min
const optionalTime = (value: unknown): boolean =>
  value === undefined || (typeof value === 'number' && Number.isFinite(value) && value >= 0)

/** Whether a message `parseControlMessage` returned has the fields its type promises. */
function wellTyped(message: ControlMessage): boolean {
  switch (message.type) {
    case 'join-signal':
      return (
        nonEmpty(message.origin) &&
        count(message.seq) &&
        count(message.weight, 1) &&
        message.signal !== undefined
      )
    case 'answer-signal':
      return nonEmpty(message.origin) && message.signal !== undefined
    case 'join-rejected':
      return nonEmpty(message.origin) && typeof message.reason === 'string'
    case 'subtree-report':
      return (
        nonEmpty(message.id) &&
        count(message.size, 1) &&
        count(message.pending) &&
        count(message.workers) &&
        count(message.received)
      )
    case 'position':
      return nonEmpty(message.parent) && count(message.depth, 1)
    case 'close-tab':
      return nonEmpty(message.id) && message.id.length <= 64 && typeof message.reason === 'string'
    case 'heartbeat':
      return (
        optionalTime(message.sentAt) &&
        optionalTime(message.echo) &&
        optionalTime(message.heldMs) &&
        (message.echo === undefined) === (message.heldMs === undefined)
      )
  }
}

/** What a node must do with `raw` from a peer: hand it on, take it, or close the link. */
function expected(
  raw: unknown,
  allowed: readonly ControlMessage['type'][],
): 'application' | 'taken' | 'closed' {
  if (!isControlMessage(raw)) return 'application'
  try {
    const message = parseControlMessage(raw)
    if (!allowed.includes(message.type)) return 'closed'
    return message.type === 'position' && message.depth > MAX_DEPTH ? 'closed' : 'taken'
  } catch {
    return 'closed'
  }
}

const messages = fc.array(
  fc.oneof({ arbitrary: jsonValue, weight: 1 }, { arbitrary: controlMessage, weight: 3 }),
  {
    minLength: 1,
    maxLength: MESSAGES_PER_RUN,
  },
)

describe('control messages, fuzzed', () => {
  it('parseControlMessage returns the message, well typed, or throws a ProtocolError', () => {
    let accepted = 0
    fc.assert(
      fc.property(fc.oneof(jsonValue, controlMessage), (value) => {
        if (!isControlMessage(value)) return
        let message: ControlMessage
        try {
          message = parseControlMessage(value)
        } catch (error) {
          expect(error).toBeInstanceOf(ProtocolError)
          return
        }
        accepted++
        expect(message).toBe(value)
        expect(wellTyped(message), JSON.stringify(message)).toBe(true)
      }),
      { numRuns: RUNS },
    )
    expect(accepted).toBeGreaterThan(RUNS / 10)
  })

  it("a root takes what a child may send, hands on the application's messages, and closes the link on the first bad one", () => {
    fc.assert(
      fc.property(messages, (sent) => {
        const { root, connector } = rootNode()
        const events: string[] = []
        root.on('peer-error', (error) => events.push(`peer-error ${error.name}`))
        root.on('message', () => events.push('message'))
        root.handleJoinSignal(joinSignal('a'))
        const channel = connector.at(0)
        channel.open()
        expect(root.children).toHaveLength(1)
        let open = true
        for (const raw of sent) {
          const before = events.length
          channel.deliver(raw)
          if (!open) {
            // A link once closed hears nothing more.
            expect(events).toHaveLength(before)
            continue
          }
          const outcome = expected(raw, ['subtree-report', 'answer-signal', 'join-rejected', 'heartbeat'])
          if (outcome === 'application') expect(events.slice(before)).toEqual(['message'])
          else if (outcome === 'closed') {
            expect(events.slice(before)).toEqual(['peer-error ProtocolError'])
            expect(channel.state).toBe('closed')
            expect(root.children).toEqual([])
            open = false
          } else expect(events.slice(before)).toEqual([])
          if (open) expect(channel.state).toBe('open')
        }
      }),
      {
        numRuns: RUNS / 10,
        // Found by this test: the heartbeat's round-trip measure once did arithmetic with what the peer sent.
        examples: [[[{ type: 'heartbeat', sentAt: 0, echo: { toString: {} }, heldMs: 0 }]]],
      },
    )
  })

  it('a node takes what its parent may send and closes the parent link on the first bad one', () => {
    fc.assert(
      fc.property(messages, (sent) => {
        const { node, parent, clock } = joinedNode({ rejoin: false })
        const errors: Error[] = []
        node.on('peer-error', (error) => errors.push(error))
        let open = true
        for (const raw of sent) {
          parent.deliver(raw)
          clock.run({ forMs: 0 })
          if (!open) continue
          const outcome = expected(raw, ['join-signal', 'position', 'heartbeat', 'close-tab'])
          if (outcome === 'taken' && (raw as { type: string; id?: unknown }).type === 'close-tab') {
            // An order to close this very tab: it leaves the tree (its parent link too), with no error.
            const own = (raw as { id: unknown }).id === node.id
            expect(node.isClosed).toBe(own)
            if (own) open = false
          } else if (outcome === 'closed') {
            expect(errors.map((error) => error.name)).toEqual(['ProtocolError'])
            expect(parent.state).toBe('closed')
            open = false
          } else {
            expect(errors).toEqual([])
            expect(parent.state).toBe('open')
          }
        }
        node.close()
      }),
      { numRuns: RUNS / 10 },
    )
  })
})
