import pull from 'pull-stream'
import { describe, expect, it } from 'vitest'
import { createLender, type Settled } from '../src/index.ts'
import { collect, countingSource, jobs, manualBorrower, success, syncBorrower } from './util.ts'

describe('createLender', () => {
  describe('maxResultChars', () => {
    it('fails an item whose result is over the limit with a ResultTooLargeError, then retries it', async () => {
      const lender = createLender({ maxResultChars: 10, retries: 1 })
      let calls = 0
      // The first answer for item 1 is too large; its retry gives a small result.
      syncBorrower(lender.lendStream({ credit: 4 }), (j) =>
        j.id === 1 && calls++ === 0 ? { id: j.id, ok: true, result: 'x'.repeat(11) } : success(j),
      )
      pull(pull.values(jobs(3)), lender.sink)
      const out = await collect(lender)
      expect(out.map((x) => x.ok)).toEqual([true, true, true])
      expect(lender.state().failures).toBe(1)
    })

    it('settles the item failed, naming the limit, once its retries are spent', async () => {
      const lender = createLender({ maxResultChars: 10, retries: 0 })
      syncBorrower(lender.lendStream({ credit: 2 }), (j) => ({ id: j.id, ok: true, result: 'y'.repeat(20) }))
      pull(pull.values(jobs(1)), lender.sink)
      const [settled] = await collect(lender)
      expect(settled).toMatchObject({
        ok: false,
        error: {
          name: 'ResultTooLargeError',
          message: 'the result is 20 characters, more than the limit of 10',
        },
      })
    })

    it('refuses a limit that is not a whole number ≥ 0 with a RangeError', () => {
      expect(() => createLender({ maxResultChars: -1 })).toThrow(RangeError)
      expect(() => createLender({ windowChars: 0 })).toThrow(RangeError)
      expect(() => createLender({ windowChars: 1.5 })).toThrow(RangeError)
    })
  })

  describe('maxItemChars', () => {
    it('never lends an item over the limit: it settles at once, in its place, as a transport limit', async () => {
      const lender = createLender({ maxItemChars: 5, retries: 2 })
      const lent: number[] = []
      syncBorrower(lender.lendStream({ credit: 4 }), (j) => {
        lent.push(j.id)
        return success(j)
      })
      const values = ['a', 'x'.repeat(4), 'b', 'é""']
      pull(pull.values(values.map((value, id) => ({ id, value }))), lender.sink)
      const out = await collect(lender)
      expect(out.map((x) => [x.id, x.ok])).toEqual([
        [0, true],
        [1, false],
        [2, true],
        [3, false],
      ])
      expect(lent).toEqual([0, 2])
      expect(out[1]).toMatchObject({
        attempts: 0,
        error: {
          name: 'TransportLimitError',
          message: 'the item is 6 characters of JSON; a link to a volunteer carries at most 5',
        },
      })
      expect(lender.state().failures).toBe(0)
    })
  })

  describe('windowChars', () => {
    it('stops reading once the results waiting behind a stuck head take the budget, and goes on after', () => {
      const lender = createLender({ windowChars: 100, speculate: false })
      const input = countingSource(200)
      pull(input.source, lender.sink)
      const stuck = manualBorrower(lender.lendStream({ credit: 1 }))
      stuck.read() // holds item 0
      // Every other item answers with a result of 10 characters: ten of them fill the budget.
      syncBorrower(lender.lendStream({ credit: 2 }), (j) => ({ id: j.id, ok: true, result: 'r'.repeat(10) }))
      const out: Settled[] = []
      pull(
        lender.source,
        pull.drain((x: Settled) => {
          out.push(x)
        }),
      )
      const read = lender.state().read
      // The head plus the items whose results fill the budget, plus what the fast borrower held when it filled.
      expect(read).toBeLessThanOrEqual(1 + 10 + 2)
      expect(out).toHaveLength(0)
      stuck.answerAll()
      // The head went out, and the results behind it: reading went on, to the end of the input.
      expect(out.map((x) => x.id)).toEqual(jobs(200).map((j) => j.id))
    })
  })
})
