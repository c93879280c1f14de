import type { Settled } from '@pando/scheduler'
import pull from 'pull-stream'
import { describe, expect, it } from 'vitest'
import { HaltWatch, haltedMessage, parseHaltPolicy, type HaltPolicy } from '../src/halt-policy.ts'

const ok = (id: number): Settled => ({ id, value: String(id), ok: true, result: `r${id}` })
const failed = (id: number): Settled => ({
  id,
  value: String(id),
  ok: false,
  error: { name: 'Error', message: 'no' },
  attempts: 1,
})

/** Runs `settled` through a watch of `policy`, its items (0…) read as they are written: the ids written. */
function watch(policy: HaltPolicy, settled: Settled[], total?: number): { written: number[]; read: number } {
  const halt = new HaltWatch(policy, total)
  let read = 0
  const items = halt.items(pull.values(settled.map((s) => s.value)))
  const results: Settled[] = []
  const written: number[] = []
  // Reads one item for each result, as a lender with credit 1 would.
  pull(
    items,
    pull.map((value: string) => {
      read++
      return settled.find((s) => s.value === value) as Settled
    }),
    halt.results(),
    pull.drain((s: Settled) => {
      results.push(s)
      written.push(s.id)
    }),
  )
  return { written, read }
}

describe('parseHaltPolicy', () => {
  it('reads WHEN,WHY=N and WHEN,WHY=N%, and the short forms of GNU parallel', () => {
    expect(parseHaltPolicy('soon,fail=3')).toEqual({
      when: 'soon',
      why: 'fail',
      count: 3,
      text: 'soon,fail=3',
    })
    expect(parseHaltPolicy('now,done=10%')).toEqual({
      when: 'now',
      why: 'done',
      percent: 10,
      text: 'now,done=10%',
    })
    expect(parseHaltPolicy('never')).toBeUndefined()
    expect(parseHaltPolicy('0')).toBeUndefined()
    expect(parseHaltPolicy('1')).toMatchObject({ when: 'soon', why: 'fail', count: 1 })
    expect(parseHaltPolicy('2')).toMatchObject({ when: 'now', why: 'fail', count: 1 })
    expect(parseHaltPolicy('-1')).toMatchObject({ when: 'soon', why: 'success', count: 1 })
    expect(parseHaltPolicy('-2')).toMatchObject({ when: 'now', why: 'success', count: 1 })
    expect(parseHaltPolicy('25%')).toMatchObject({ when: 'soon', why: 'fail', percent: 25 })
  })

  it('refuses anything else', () => {
    for (const bad of [
      '',
      'now',
      'soon,fail',
      'soon,fail=0',
      'now,fail=0%',
      'now,fail=101%',
      'later,fail=1',
      '3',
    ]) {
      expect(() => parseHaltPolicy(bad)).toThrow('is not a halt condition')
    }
  })
})

describe('HaltWatch', () => {
  it('now: writes nothing after the item that met the condition, and reads no more', () => {
    const policy = parseHaltPolicy('now,fail=2') as HaltPolicy
    const { written } = watch(policy, [ok(0), failed(1), ok(2), failed(3), ok(4), ok(5)])
    expect(written).toEqual([0, 1, 2, 3])
  })

  it('counts a percentage of the total when known, else of the items read', () => {
    const policy = parseHaltPolicy('now,success=50%') as HaltPolicy
    expect(watch(policy, [ok(0), ok(1), ok(2), ok(3)], 4).written).toEqual([0, 1])
    expect(watch(policy, [ok(0), ok(1), ok(2), ok(3)]).written).toEqual([0])
  })

  it('says what met the condition', () => {
    const policy = parseHaltPolicy('soon,fail=10%') as HaltPolicy
    expect(haltedMessage({ policy, counted: 2, of: 20 })).toBe(
      'halted by --halt soon,fail=10%: 2 items failed (10% of 20); the items already read were finished and ' +
        'written, and no new item was read',
    )
  })
})
