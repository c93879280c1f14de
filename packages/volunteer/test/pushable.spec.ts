import pull from 'pull-stream'
import { describe, expect, it } from 'vitest'
import { createPushable } from '../src/pushable.ts'

describe('createPushable', () => {
  it('answers a waiting read when a value is pushed, and ends after the queued values', () => {
    const pushable = createPushable<number>()
    const seen: number[] = []
    let ended: unknown
    pull(
      pushable.source,
      pull.drain(
        (value: number) => void seen.push(value),
        (end) => (ended = end ?? true),
      ),
    )
    pushable.push(1)
    pushable.push(2)
    expect(seen).toEqual([1, 2])
    pushable.push(3)
    pushable.end()
    pushable.push(4)
    expect(seen).toEqual([1, 2, 3])
    expect(ended).toBe(true)
  })

  it('ends a waiting read and drops its queue when aborted', () => {
    const pushable = createPushable<number>()
    pushable.push(1)
    const answers: unknown[] = []
    pushable.source(null, (end, value) => answers.push(end ?? value))
    pushable.source(null, (end, value) => answers.push(end ?? value))
    pushable.source(true, (end) => answers.push(end))
    pushable.push(2)
    expect(answers).toEqual([1, true, true])
  })
})
