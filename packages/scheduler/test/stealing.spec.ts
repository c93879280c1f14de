import pull from 'pull-stream'
import { describe, expect, it } from 'vitest'
import { createLender } from '../src/index.ts'
import { jobs, manualBorrower, success } from './util.ts'

describe('giving items back (48)', () => {
  it('lends what a sub-stream gives back to another before new input, and ignores and counts ids it did not hold', () => {
    const lender = createLender()
    pull(pull.values(jobs(10)), lender.sink)
    pull(lender.source, pull.drain())
    const giver = lender.lendStream({ credit: 4 })
    const a = manualBorrower(giver)
    a.read()
    expect(a.batches).toEqual([jobs(4)])
    expect(giver.giveBack([2, 3, 99])).toBe(2)
    expect(giver.held).toBe(2)
    expect(lender.state()).toMatchObject({ lent: 2, ignored: 1, failures: 0 })
    const taker = lender.lendStream({ credit: 3 })
    const b = manualBorrower(taker)
    b.read()
    expect(b.batches.flat().map((job) => job.id)).toEqual([2, 3, 4])
    // Not a failure: an outcome for a given-back item from the giver is a stray, and counted so.
    a.answer([success(jobs(4)[2] as never)])
    expect(lender.state().ignored).toBe(2)
  })

  it('never gives a returned item back to the one that returned it while an idle one waits', () => {
    const lender = createLender()
    pull(pull.values(jobs(4)), lender.sink)
    pull(lender.source, pull.drain())
    const giver = lender.lendStream({ credit: 4 })
    const a = manualBorrower(giver)
    a.read()
    const idle = lender.lendStream({ credit: 2 })
    const b = manualBorrower(idle)
    b.read() // nothing left to lend: it waits
    expect(b.batches).toEqual([])
    a.read() // the giver waits for more too
    giver.giveBack([2, 3])
    expect(b.batches.flat().map((job) => job.id)).toEqual([2, 3])
    expect(a.batches.flat().map((job) => job.id)).toEqual([0, 1, 2, 3])
    expect(giver.held).toBe(2)
  })
})

describe('stealing (49)', () => {
  it('asks the borrower holding the most for half of it when another waits idle with nothing to lend', () => {
    const lender = createLender()
    pull(pull.values(jobs(6)), lender.sink)
    pull(lender.source, pull.drain())
    const recalls: string[] = []
    const big = lender.lendStream({ credit: 4, onRecall: (count) => recalls.push(`big ${String(count)}`) })
    const small = lender.lendStream({
      credit: 2,
      onRecall: (count) => recalls.push(`small ${String(count)}`),
    })
    const a = manualBorrower(big)
    const b = manualBorrower(small)
    a.read()
    b.read()
    expect(recalls).toEqual([])
    const idle = lender.lendStream({ credit: 3 })
    const c = manualBorrower(idle)
    c.read()
    expect(recalls).toEqual(['big 2'])
    // One recall at a time per borrower: another idle one asks the next, not `big` again.
    lender.lendStream({ credit: 1 }).source(null, () => undefined)
    expect(recalls).toEqual(['big 2', 'small 1'])
    big.giveBack([2, 3])
    expect(c.batches.flat().map((job) => job.id)).toEqual([2, 3])
  })

  it('asks again only after an outcome: items the idle borrower may not take go back, and no recall loops', () => {
    // A tab's own Workers give back at once, inside the recall; its child waits idle but may take none of
    // these copies (its tabs answered them: SPEC 53), so they go back to the Workers.
    const lender = createLender({ placement: { claim: (_job, name) => name !== 'child', release: () => {} } })
    pull(pull.values(jobs(4)), lender.sink)
    pull(lender.source, pull.drain())
    let recalls = 0
    let own: ReturnType<typeof manualBorrower> | undefined
    const workers = lender.lendStream({
      name: 'own',
      credit: 4,
      onRecall: (count) => {
        if (++recalls > 100) throw new Error('the recalls never end')
        const unstarted = [...(own?.holding.keys() ?? [])].slice(-count)
        for (const id of unstarted) own?.holding.delete(id)
        workers.giveBack(unstarted)
      },
    })
    own = manualBorrower(workers)
    own.read()
    const child = manualBorrower(lender.lendStream({ name: 'child', credit: 2 }))
    child.read()
    own.read()
    expect(recalls).toBe(1)
    expect(child.batches).toEqual([])
    expect(workers.held).toBe(4)
    // An outcome answers the recall: the next idle moment may ask again, once.
    own.answer([success(jobs(4)[0] as never)])
    expect(recalls).toBe(2)
    expect(child.batches).toEqual([])
  })

  it('asks nothing of a borrower holding one item, or of one that cannot be recalled', () => {
    const lender = createLender()
    pull(pull.values(jobs(3)), lender.sink)
    pull(lender.source, pull.drain())
    const recalls: number[] = []
    manualBorrower(lender.lendStream({ credit: 1, onRecall: (count) => recalls.push(count) })).read()
    manualBorrower(lender.lendStream({ credit: 2 })).read()
    manualBorrower(lender.lendStream({ credit: 2 })).read()
    expect(recalls).toEqual([])
  })

  it('asks again once the borrower answered an item, as long as another waits idle (a give-back is no answer)', () => {
    const lender = createLender()
    pull(pull.values(jobs(8)), lender.sink)
    pull(lender.source, pull.drain())
    const recalls: number[] = []
    const big = lender.lendStream({ credit: 8, onRecall: (count) => recalls.push(count) })
    const a = manualBorrower(big)
    a.read()
    manualBorrower(lender.lendStream({ credit: 1 })).read()
    expect(recalls).toEqual([1])
    big.giveBack([]) // it had nothing unstarted
    expect(recalls).toEqual([1])
    a.answer([success(jobs(8)[0] as never)])
    expect(recalls).toEqual([1, 1])
  })
})
