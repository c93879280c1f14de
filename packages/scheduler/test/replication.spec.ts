// Replication (SPEC 52–56): an item's copies on distinct volunteers whatever joins and leaves, agreement
// written, a disagreement settled by more copies, a liar outvoted and excluded. Volunteers are driven by
// hand, in an order fast-check picks.
import fc from 'fast-check'
import pull from 'pull-stream'
import { describe, expect, it } from 'vitest'
import { createReplicatingLender } from '../src/index.ts'
import { itemOfCopy } from '../src/replication/copy-ids.ts'
import { judge } from '../src/replication/quorum.ts'
import { collectNow, jobs, manualBorrower, negate, type ManualBorrower } from './util.ts'

interface Volunteer {
  readonly name: string
  readonly borrower: ManualBorrower
  readonly liar: boolean
  left: boolean
}

describe('judging the copies (SPEC 55)', () => {
  it('agrees on N equal answers, asks for more on a split, and takes a strict majority of N + 1', () => {
    const a = (by: string, result: string) => ({ by, result })
    expect(judge([a('A', '4'), a('B', '4')], 2)).toEqual({
      kind: 'agreed',
      result: '4',
      agreed: ['A', 'B'],
      outvoted: [],
    })
    expect(judge([a('A', '4'), a('B', '42')], 2)).toEqual({ kind: 'more' })
    expect(judge([a('A', '4'), a('B', '42'), a('C', '4')], 2)).toEqual({
      kind: 'agreed',
      result: '4',
      agreed: ['A', 'C'],
      outvoted: ['B'],
    })
    expect(judge([a('A', '4'), a('B', '42'), a('C', '7')], 2)).toEqual({ kind: 'more' })
    expect(judge([a('A', '4'), a('B', '42'), a('C', '42'), a('D', '4')], 2)).toEqual({ kind: 'more' })
    expect(judge([a('A', '1')], 1)).toEqual({ kind: 'agreed', result: '1', agreed: ['A'], outvoted: [] })
  })
})

describe('placement under churn (SPEC 52–54)', () => {
  it('never gives two copies of an item to one volunteer, and writes every item right', () => {
    let churn = 0
    fc.assert(
      fc.property(
        fc.record({
          n: fc.integer({ min: 1, max: 40 }),
          replicas: fc.integer({ min: 1, max: 3 }),
          credit: fc.integer({ min: 1, max: 4 }),
          // One liar at most (with replicas ≥ 2), among replicas + 2 honest volunteers, so that a majority exists.
          liar: fc.boolean(),
          steps: fc.array(fc.integer({ min: 0, max: 1_000 }), { minLength: 50, maxLength: 400 }),
        }),
        ({ n, replicas, credit, liar, steps }) => {
          const lender = createReplicatingLender({ retries: 2 }, { replicas, maxReplicas: replicas * 2 + 1 })
          pull(pull.values(jobs(n)), lender.sink)
          const out = collectNow(lender)
          const volunteers: Volunteer[] = []
          /** Who was given a copy of each item: never the same name twice. */
          const given = new Map<number, string[]>()
          let count = 0
          let churned = 0
          const join = (isLiar: boolean): void => {
            const name = `v${String(count++)}`
            const sub = lender.lendStream({ name, credit })
            volunteers.push({ name, borrower: manualBorrower(sub), liar: isLiar, left: false })
          }
          for (let i = 0; i < replicas + 2; i++) join(false)
          if (liar && replicas >= 2) join(true)
          const check = (v: Volunteer): void => {
            for (const batch of v.borrower.batches.splice(0)) {
              for (const j of batch) {
                const names = given.get(itemOfCopy(j.id)) ?? []
                expect(names).not.toContain(v.name)
                given.set(itemOfCopy(j.id), [...names, v.name])
              }
            }
          }
          const act = (step: number): void => {
            const open = volunteers.filter((v) => !v.left)
            const v = open[step % open.length]
            if (v === undefined) return
            const kind = Math.floor(step / 100)
            if (kind === 0 && !v.liar && open.filter((o) => !o.liar).length > replicas + 1) {
              // An honest volunteer leaves (what it holds is lent again), another joins.
              v.left = true
              v.borrower.endSink()
              churned++
              join(false)
            } else if (kind <= 4) {
              if (!v.borrower.reading()) v.borrower.read()
            } else {
              const held = [...v.borrower.holding.values()]
              const j = held[step % Math.max(1, held.length)]
              if (j !== undefined)
                v.borrower.answer([{ id: j.id, ok: true, result: v.liar ? '42' : negate(j.value) }])
            }
            for (const o of volunteers) check(o)
          }
          for (const step of steps) act(step)
          // Then everyone reads and answers until the end.
          for (let round = 0; round < 10 * n + 50 && !out.ended(); round++) {
            for (const v of volunteers) {
              if (v.left) continue
              if (!v.borrower.reading()) v.borrower.read()
              check(v)
              const held = [...v.borrower.holding.values()]
              if (held.length > 0)
                v.borrower.answer(
                  held.map((j) => ({ id: j.id, ok: true, result: v.liar ? '42' : negate(j.value) })),
                )
              check(v)
            }
          }
          expect(out.ended()).toBe(true)
          churn += churned
          expect(out.values.map((s) => (s.ok ? s.result : 'failed'))).toEqual(
            jobs(n).map((j) => negate(j.value)),
          )
          const liarStanding = lender.standings().find((s) => volunteers.find((v) => v.liar)?.name === s.name)
          if (liarStanding !== undefined && liarStanding.outvoted >= 2)
            expect(liarStanding.excluded).toMatch(/excluded$/)
        },
      ),
      { numRuns: 150 },
    )
    // The runs did see volunteers leave with copies in hand.
    expect(churn).toBeGreaterThan(50)
  }, 120_000)

  it('excludes a liar outvoted twice: its connection is dropped with the reason, its held copies go elsewhere', () => {
    const lender = createReplicatingLender({ retries: 2 }, { replicas: 2, maxReplicas: 5 })
    pull(pull.values(jobs(6)), lender.sink)
    const out = collectNow(lender)
    const dropped: string[] = []
    const excluded: string[] = []
    const make = (name: string) =>
      manualBorrower(lender.lendStream({ name, credit: 4, onDropped: (e) => void dropped.push(e.message) }))
    const liar = make('liar')
    const honest = [make('a'), make('b')]
    liar.read()
    for (const h of honest) h.read()
    // The liar answers every copy it holds with 42.
    for (let round = 0; round < 50 && !out.ended(); round++) {
      if (liar.ended() === null) {
        liar.answer([...liar.holding.values()].map((j) => ({ id: j.id, ok: true, result: '42' })))
        if (!liar.reading() && liar.ended() === null) liar.read()
      }
      for (const h of honest) {
        h.answerAll()
        if (!h.reading()) h.read()
      }
    }
    for (const s of lender.standings()) if (s.excluded !== undefined) excluded.push(s.name)
    expect(out.values.map((s) => (s.ok ? s.result : 'failed'))).toEqual(jobs(6).map((j) => negate(j.value)))
    expect(excluded).toEqual(['liar'])
    expect(dropped).toEqual([expect.stringMatching(/^was outvoted on 2 items .* and agreed on 0: excluded$/)])
  })

  it('refuses a volunteer (its browser was excluded): its answers count not, and onExcluded is not told', () => {
    const told: string[] = []
    const lender = createReplicatingLender(
      { retries: 2 },
      { replicas: 2, maxReplicas: 5, onExcluded: (standing) => void told.push(standing.name) },
    )
    pull(pull.values(jobs(4)), lender.sink)
    const out = collectNow(lender)
    const dropped: string[] = []
    const make = (name: string) =>
      manualBorrower(lender.lendStream({ name, credit: 4, onDropped: (e) => void dropped.push(e.message) }))
    const refused = make('reload')
    const honest = make('a')
    refused.read()
    honest.read()
    // It answers a copy before the root knows its browser (one answer: no vote could exclude it yet).
    const [first] = [...refused.holding.values()]
    if (first === undefined) throw new Error('the refused volunteer was lent nothing')
    refused.answer([{ id: first.id, ok: true, result: '42' }])
    lender.refuse('reload', 'came back from a browser excluded earlier in this run')
    lender.refuse('reload', 'again')
    const another = make('b')
    for (let round = 0; round < 50 && !out.ended(); round++)
      for (const h of [honest, another]) {
        h.answerAll()
        if (!h.reading()) h.read()
      }
    expect(out.values.map((s) => (s.ok ? s.result : 'failed'))).toEqual(jobs(4).map((j) => negate(j.value)))
    expect(dropped).toEqual(['came back from a browser excluded earlier in this run'])
    expect(told).toEqual([])
    expect(lender.standings().find((s) => s.name === 'reload')).toMatchObject({
      excluded: 'came back from a browser excluded earlier in this run',
    })
  })

  it('fails an item naming the disagreeing volunteers once --max-replicas copies found no majority', () => {
    const lender = createReplicatingLender({ retries: 0 }, { replicas: 2, maxReplicas: 3 })
    pull(pull.values(jobs(1)), lender.sink)
    const out = collectNow(lender)
    const vs = ['a', 'b', 'c'].map((name) => ({ name, b: manualBorrower(lender.lendStream({ name })) }))
    for (let round = 0; round < 5; round++)
      for (const { name, b } of vs) {
        b.answer([...b.holding.values()].map((j) => ({ id: j.id, ok: true, result: name })))
        if (!b.reading()) b.read()
      }
    expect(out.ended()).toBe(true)
    expect(out.values).toEqual([
      expect.objectContaining({
        id: 0,
        ok: false,
        error: {
          name: 'DisagreementError',
          message: `no result won a majority in 3 copies (--max-replicas): 'a' gave "a", 'b' gave "b", 'c' gave "c"`,
        },
      }),
    ])
  })

  it('counts each failed attempt against the volunteer that made it, though the item was retried elsewhere (56)', () => {
    const lender = createReplicatingLender({ retries: 3 }, { replicas: 2, maxReplicas: 5 })
    pull(pull.values(jobs(6)), lender.sink)
    const out = collectNow(lender)
    const make = (name: string) => manualBorrower(lender.lendStream({ name, credit: 2 }))
    const flaky = make('flaky')
    const honest = [make('a'), make('b')]
    let failed = 0
    let timedOut = 0
    for (let round = 0; round < 100 && !out.ended(); round++) {
      flaky.answer(
        [...flaky.holding.values()].map((j) => {
          failed++
          // Every other failure is an item timeout.
          const timeout = failed % 2 === 0
          if (timeout) timedOut++
          const name = timeout ? 'ItemTimeoutError' : 'Error'
          return { id: j.id, ok: false, error: { name, message: 'no' } }
        }),
      )
      if (!flaky.reading() && flaky.ended() === null) flaky.read()
      for (const h of honest) {
        h.answerAll()
        if (!h.reading()) h.read()
      }
    }
    expect(out.values.map((v) => (v.ok ? v.result : 'failed'))).toEqual(jobs(6).map((j) => negate(j.value)))
    expect(failed).toBeGreaterThan(1)
    expect(lender.standings().find((s) => s.name === 'flaky')).toMatchObject({
      failed,
      timedOut,
      agreed: 0,
      trusted: false,
    })
  })

  it('spot checks (SPEC 57): the ground truth takes only the checked copies, and a liar is excluded when first caught', () => {
    let draws = 0
    const lender = createReplicatingLender(
      { retries: 0 },
      {
        replicas: 1,
        maxReplicas: 3,
        spotCheck: 0.5,
        groundTruth: 'local',
        random: () => (draws++ % 2) * 0.9,
      },
    )
    pull(pull.values(jobs(8)), lender.sink)
    const out = collectNow(lender)
    const dropped: string[] = []
    const local = manualBorrower(lender.lendStream({ name: 'local', credit: 4 }))
    const liar = manualBorrower(
      lender.lendStream({ name: 'liar', credit: 1, onDropped: (e) => void dropped.push(e.message) }),
    )
    const honest = manualBorrower(lender.lendStream({ name: 'honest', credit: 4 }))
    const localGot: number[] = []
    for (let round = 0; round < 40 && !out.ended(); round++) {
      if (liar.ended() === null) {
        liar.answer([...liar.holding.values()].map((j) => ({ id: j.id, ok: true, result: '42' })))
        if (!liar.reading() && liar.ended() === null) liar.read()
      }
      for (const b of [honest, local]) {
        if (b === local) localGot.push(...[...b.holding.values()].map((j) => j.id))
        b.answerAll()
        if (!b.reading()) b.read()
      }
    }
    expect(out.ended()).toBe(true)
    // Items 0, 2, 4, 6 were drawn for a check: their second copy (copy 1) and nothing else went to 'local'.
    expect([...new Set(localGot)].sort((a, b) => a - b)).toEqual([1, 2 * 64 + 1, 4 * 64 + 1, 6 * 64 + 1])
    const liarStanding = lender.standings().find((s) => s.name === 'liar')
    expect(dropped).toEqual(["gave a result that differed from the root's own on a spot check: excluded"])
    expect(liarStanding).toMatchObject({ caught: 1 })
    // Unchecked items the liar answered before it was caught keep its answer: spot checks alone bound the
    // damage, they do not undo it (README: Trust model).
    const wrong = out.values.filter((v) => v.ok && v.result === '42').length
    expect(wrong).toBeLessThanOrEqual(1)
  })

  it('adaptive replication (SPEC 58): trusted volunteers get single copies, a liar never earns trust and is excluded', () => {
    let seed = 7
    const random = (): number => ((seed = (seed * 16_807) % 2_147_483_647) - 1) / 2_147_483_646
    const n = 200
    const lender = createReplicatingLender(
      { retries: 0 },
      { replicas: 2, maxReplicas: 5, adaptive: true, random },
    )
    pull(pull.values(jobs(n)), lender.sink)
    const out = collectNow(lender)
    const make = (name: string) => manualBorrower(lender.lendStream({ name, credit: 2 }))
    const liar = make('liar')
    const honest = [make('a'), make('b'), make('c')]
    let copies = 0
    for (let round = 0; round < 20 * n && !out.ended(); round++) {
      if (liar.ended() === null) {
        copies += liar.holding.size
        liar.answer([...liar.holding.values()].map((j) => ({ id: j.id, ok: true, result: '42' })))
        if (!liar.reading() && liar.ended() === null) liar.read()
      }
      for (const h of honest) {
        copies += h.holding.size
        h.answerAll()
        if (!h.reading()) h.read()
      }
    }
    expect(out.ended()).toBe(true)
    expect(out.values.map((v) => (v.ok ? v.result : 'failed'))).toEqual(jobs(n).map((j) => negate(j.value)))
    const standings = new Map(lender.standings().map((s) => [s.name, s]))
    expect(standings.get('liar')?.excluded).toMatch(/excluded$/)
    expect(standings.get('liar')?.agreed).toBe(0)
    // The standing says who computes alone now: the honest ones earned it, the liar never did.
    expect(['a', 'b', 'c'].map((name) => standings.get(name)?.trusted)).toEqual([true, true, true])
    expect(standings.get('liar')?.trusted).toBe(false)
    // Once trusted, honest volunteers mostly compute alone: far fewer than two copies per item.
    expect(copies).toBeLessThan(1.5 * n)
    expect(copies).toBeGreaterThanOrEqual(n)
  })
})
