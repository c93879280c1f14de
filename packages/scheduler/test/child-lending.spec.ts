import pull from 'pull-stream'
import { describe, expect, it } from 'vitest'
import {
  ChildLending,
  createLender,
  type ChildChannel,
  type Lender,
  type LendStreamOptions,
} from '../src/index.ts'

const channel = (): ChildChannel => ({ state: 'open', send: () => undefined, close: () => undefined })

/** A lender that notes the name of each sub-stream it is asked to open. */
function namingLender(): { lender: Lender; names: (string | undefined)[] } {
  const inner = createLender()
  const names: (string | undefined)[] = []
  const lender: Lender = Object.assign(Object.create(inner) as Lender, {
    lendStream: (options?: LendStreamOptions) => {
      names.push(options?.name)
      return inner.lendStream(options)
    },
  })
  return { lender, names }
}

describe('ChildLending', () => {
  it('names a child that has not reported by its link, not its slot: a later child in the same slot is another volunteer', () => {
    const { lender, names } = namingLender()
    const lending = new ChildLending(lender, 'auto')
    const first = channel()
    lending.add({ index: 0, id: undefined, channel: first, workers: 1 })
    lending.remove(first)
    lending.add({ index: 0, id: undefined, channel: channel(), workers: 1 })
    lending.add({ index: 1, id: 'tab-b', channel: channel(), workers: 1 })
    expect(names).toEqual(['child 1', 'child 2', 'tab-b'])
  })
})

describe('ChildLending tabs (SPEC 53)', () => {
  it('lends a copy refused for want of a fresh tab once the status names a new tab of the subtree', () => {
    const sent: unknown[] = []
    const child: ChildChannel = {
      state: 'open',
      send: (message) => sent.push(message),
      close: () => undefined,
    }
    /** Every tab named so far answered the item: a copy goes to the child only when it has another. */
    const answered = new Set(['tab-a', 'tab-b'])
    const lender = createLender({
      placement: {
        claim: () => [...lending.tabsOf('tab-a')].some((tab) => !answered.has(tab)),
        release: () => undefined,
        takesNew: () => true,
      },
    })
    const lending = new ChildLending(lender, 1)
    pull(pull.values([{ id: 0, value: '1' }]), lender.sink)
    pull(lender.source, pull.drain())
    lending.add({ index: 0, id: 'tab-a', channel: child, workers: 1 })
    lending.setTabs(child, ['tab-b'])
    expect(sent).toEqual([])
    lending.setTabs(child, ['tab-b', 'tab-c'])
    expect(sent).toHaveLength(1)
  })
})
