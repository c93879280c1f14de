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
