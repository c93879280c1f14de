// Property-based tests of giving back (SPEC 48, 48a): honest returns mixed with hostile ones (ids never
// held, ids returned twice, a whole message repeated), recalls and withdrawals, in any order. Whatever the
// borrowers send, every item comes out exactly once (or is withdrawn, exactly once), with its result.
import type { Job } from '@pando/protocol'
import fc from 'fast-check'
import pull from 'pull-stream'
import { describe, expect, it } from 'vitest'
import { createLender, type Settled } from '../src/index.ts'
import { jobs, manualBorrower, negate, success, type ManualBorrower } from './util.ts'

type Step =
  | { readonly kind: 'read'; readonly who: number }
  | { readonly kind: 'answer'; readonly who: number; readonly count: number }
  | { readonly kind: 'return-held'; readonly who: number; readonly count: number }
  | { readonly kind: 'return-stray'; readonly who: number; readonly ids: readonly number[] }
  | { readonly kind: 'return-again'; readonly who: number }
  | { readonly kind: 'withdraw'; readonly max: number }

const MAX_ITEMS = 60

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('read' as const), who: fc.nat(3) }),
  fc.record({ kind: fc.constant('answer' as const), who: fc.nat(3), count: fc.integer({ min: 1, max: 4 }) }),
  fc.record({
    kind: fc.constant('return-held' as const),
    who: fc.nat(3),
    count: fc.integer({ min: 0, max: 4 }),
  }),
  fc.record({
    kind: fc.constant('return-stray' as const),
    who: fc.nat(3),
    ids: fc.array(fc.integer({ min: -5, max: MAX_ITEMS + 20 }), { maxLength: 6 }),
  }),
  fc.record({ kind: fc.constant('return-again' as const), who: fc.nat(3) }),
  fc.record({ kind: fc.constant('withdraw' as const), max: fc.integer({ min: 0, max: 5 }) }),
)

const scenario = fc.record({
  n: fc.integer({ min: 0, max: MAX_ITEMS }),
  ordered: fc.boolean(),
  credits: fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 2, maxLength: 4 }),
  steps: fc.array(step, { maxLength: 200 }),
})

type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never

/** Runs the steps, then lets every borrower compute what it holds until the output ends. */
function run(s: Scenario): void {
  const lender = createLender({ ordered: s.ordered, speculate: false, retries: 0 })
  const output: Settled[] = []
  let ended = false
  pull(pull.values(jobs(s.n)), lender.sink)
  pull(
    lender.source,
    pull.drain(
      (settled: Settled) => void output.push(settled),
      () => void (ended = true),
    ),
  )
  const recalls: number[] = []
  const borrowers: ManualBorrower[] = []
  const subs = s.credits.map((credit, who) =>
    lender.lendStream({ credit, onRecall: (count) => recalls.push(who, count) }),
  )
  for (const sub of subs) borrowers.push(manualBorrower(sub))
  const lastReturn = new Map<number, readonly number[]>()
  const withdrawn: Job[] = []
  let strays = 0

  const giveBack = (who: number, ids: readonly number[]): void => {
    const borrower = borrowers[who] as ManualBorrower
    const held = ids.filter((id) => borrower.holding.delete(id)).length
    expect((subs[who] as (typeof subs)[number]).giveBack(ids)).toBe(held)
    strays += ids.length - held
    lastReturn.set(who, ids)
  }

  for (const st of s.steps) {
    const who = 'who' in st ? st.who % borrowers.length : 0
    const borrower = borrowers[who] as ManualBorrower
    if (st.kind === 'read') {
      if (!borrower.reading()) borrower.read()
    } else if (st.kind === 'answer') {
      borrower.answer([...borrower.holding.values()].slice(0, st.count).map((job) => success(job)))
    } else if (st.kind === 'return-held') {
      giveBack(who, [...borrower.holding.keys()].slice(0, st.count))
    } else if (st.kind === 'return-stray') {
      giveBack(who, st.ids)
    } else if (st.kind === 'return-again') {
      giveBack(who, lastReturn.get(who) ?? [])
    } else if (!s.ordered) {
      withdrawn.push(...lender.withdraw(st.max))
    } else {
      expect(() => lender.withdraw(st.max)).toThrow(/ordered/)
    }
    const state = lender.state()
    expect(state.lent).toBeGreaterThanOrEqual(0)
    expect(state.pending).toBeGreaterThanOrEqual(0)
  }
  for (let round = 0; round < 10 * MAX_ITEMS && !ended; round++) {
    for (const borrower of borrowers) {
      if (!borrower.reading() && borrower.ended() === null) borrower.read()
      borrower.answerAll()
    }
  }

  expect(ended).toBe(true)
  const withdrawnIds = withdrawn.map((job) => job.id)
  const emittedIds = output.map((settled) => settled.id)
  expect(new Set(withdrawnIds).size).toBe(withdrawnIds.length)
  expect([...emittedIds, ...withdrawnIds].sort((a, b) => a - b)).toEqual(jobs(s.n).map((job) => job.id))
  if (s.ordered) expect(emittedIds).toEqual(jobs(s.n).map((job) => job.id))
  for (const settled of output) expect(settled).toMatchObject({ ok: true, result: negate(settled.value) })
  const state = lender.state()
  expect(state).toMatchObject({ pending: 0, lent: 0, failures: 0, withdrawn: withdrawnIds.length })
  // Every stray id is ignored and counted (outcomes for given-back items add more).
  expect(state.ignored).toBeGreaterThanOrEqual(strays)
  for (let i = 0; i < recalls.length; i += 2) expect(recalls[i + 1]).toBeGreaterThanOrEqual(1)
}

describe('giving back, with hostile returns (fast-check)', () => {
  it('emits every item exactly once, or withdraws it once, whatever ids borrowers return and how often', () => {
    fc.assert(fc.property(scenario, run), { numRuns: 300 })
  })
})
