// A volunteer is a tab, across the whole tree (SPEC 53 and 56): the root lends to its sub-streams (a child of
// the root with its subtree), each of several tabs that come and go; copies of one item must land on
// distinct tabs, a liar tab deep in a subtree must be judged and excluded alone. Each subtree is played by
// hand as an honest relay would: it gives a copy to a tab its `avoid` does not name, or gives it back.
import type { Job } from '@pando/protocol'
import fc from 'fast-check'
import pull from 'pull-stream'
import { describe, expect, it } from 'vitest'
import { createReplicatingLender, type SubStream } from '../src/index.ts'
import { itemOfCopy } from '../src/replication/copy-ids.ts'
import { collectNow, jobs, manualBorrower, negate, type ManualBorrower } from './util.ts'

const LIAR = 'liar'

interface Subtree {
  readonly name: string
  readonly sub: SubStream
  readonly borrower: ManualBorrower
  /** Its tabs now, the root child's own first. */
  readonly tabs: string[]
  left: boolean
}

describe('placement on distinct tabs (SPEC 53)', () => {
  it('never lets two tabs answer for one, keeps one copy per subtree at a time, and excludes only the liar tab', () => {
    let deepCopies = 0
    let tabChurn = 0
    fc.assert(
      fc.property(
        fc.record({
          n: fc.integer({ min: 1, max: 30 }),
          replicas: fc.integer({ min: 2, max: 3 }),
          credit: fc.integer({ min: 1, max: 4 }),
          /** Subtrees of the root (1: a chain) and their first tabs. */
          subtrees: fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 3 }),
          steps: fc.array(fc.integer({ min: 0, max: 999 }), { minLength: 50, maxLength: 400 }),
        }),
        ({ n, replicas, credit, subtrees: sizes, steps }) => {
          const lender = createReplicatingLender({ retries: 2 }, { replicas, maxReplicas: 2 * replicas + 1 })
          pull(pull.values(jobs(n)), lender.sink)
          const out = collectNow(lender)
          let tabCount = 0
          const newTab = (): string => `t${String(tabCount++)}`
          const subtrees: Subtree[] = []
          const addSubtree = (size: number): void => {
            const name = newTab()
            const tabs = [name, ...Array.from({ length: size - 1 }, newTab)]
            const sub = lender.lendStream({ name, credit, tabs: () => tabs })
            subtrees.push({ name, sub, borrower: manualBorrower(sub), tabs, left: false })
          }
          sizes.forEach((size) => addSubtree(size))
          // The liar: deep in the first subtree, below its root child, among enough honest tabs.
          subtrees[0]?.tabs.push(LIAR)
          addSubtree(replicas + 1)
          /** Tabs that answered a copy of each item, in order. */
          const answeredBy = new Map<number, string[]>()
          /** Checks what a subtree was just lent: one copy of an item at a time, avoiding every tab that answered. */
          const checkLent = (subtree: Subtree): void => {
            const held = new Set<number>()
            for (const job of subtree.borrower.holding.values()) {
              const item = itemOfCopy(job.id)
              expect(held.has(item)).toBe(false)
              held.add(item)
            }
            for (const batch of subtree.borrower.batches.splice(0))
              for (const job of batch) {
                const before = answeredBy.get(itemOfCopy(job.id)) ?? []
                if (before.length > 0 && subtree.tabs.some((tab) => before.includes(tab))) deepCopies++
                for (const tab of before) expect(job.avoid ?? []).toContain(tab)
              }
          }
          /** The subtree computes `job` on a tab it may use, or gives it back when it has none (false). */
          const compute = (subtree: Subtree, job: Job): boolean => {
            const tab = subtree.tabs.find((t) => !(job.avoid ?? []).includes(t))
            if (tab === undefined) {
              subtree.borrower.holding.delete(job.id)
              subtree.sub.giveBack([job.id])
              return false
            }
            const by = answeredBy.get(itemOfCopy(job.id)) ?? []
            expect(by).not.toContain(tab)
            answeredBy.set(itemOfCopy(job.id), [...by, tab])
            const result = tab === LIAR ? '42' : negate(job.value)
            subtree.borrower.answer([{ id: job.id, ok: true, result, by: tab }])
            return true
          }
          const act = (step: number): void => {
            const open = subtrees.filter((s) => !s.left)
            const subtree = open[step % open.length]
            if (subtree === undefined) return
            const kind = Math.floor(step / 100)
            if (kind === 0 && subtree.tabs.length > 1) {
              // A tab below the root child leaves (the liar stays: it is what is judged), another joins.
              const at = 1 + (step % (subtree.tabs.length - 1))
              if (subtree.tabs[at] !== LIAR) subtree.tabs.splice(at, 1)
              subtree.tabs.push(newTab())
              subtree.sub.tabsChanged()
              tabChurn++
            } else if (kind === 1 && open.length > 1 && subtree !== subtrees[0]) {
              // A whole subtree leaves (what it holds is lent again), another joins.
              subtree.left = true
              subtree.borrower.endSink()
              addSubtree(1 + (step % 3))
            } else if (kind <= 5) {
              if (!subtree.borrower.reading()) subtree.borrower.read()
            } else {
              const held = [...subtree.borrower.holding.values()]
              const job = held[step % Math.max(1, held.length)]
              if (job !== undefined) compute(subtree, job)
            }
            for (const s of subtrees) if (!s.left) checkLent(s)
          }
          for (const step of steps) act(step)
          for (let round = 0; round < 20 * n + 50 && !out.ended(); round++) {
            let answered = 0
            for (const subtree of subtrees) {
              if (subtree.left) continue
              if (!subtree.borrower.reading()) subtree.borrower.read()
              checkLent(subtree)
              for (const job of [...subtree.borrower.holding.values()])
                answered += compute(subtree, job) ? 1 : 0
              checkLent(subtree)
            }
            // Every tab left answered the items still open (their copies disagreed): the run waits for a new
            // volunteer, and one comes.
            const last = subtrees.filter((s) => !s.left).at(-1)
            if (answered === 0 && last !== undefined) {
              last.tabs.push(newTab())
              last.sub.tabsChanged()
            }
          }
          expect(out.ended()).toBe(true)
          expect(out.values.map((s) => (s.ok ? s.result : 'failed'))).toEqual(
            jobs(n).map((j) => negate(j.value)),
          )
          // Judged per tab: the liar alone is outvoted, and excluded once outvoted twice; no honest tab is.
          for (const standing of lender.standings()) {
            if (standing.name === LIAR) {
              if (standing.outvoted >= 2) expect(standing.excluded).toMatch(/excluded$/)
            } else expect(standing.outvoted).toBe(0)
          }
        },
      ),
      { numRuns: 150 },
    )
    // The runs did place further copies of items inside subtrees that had answered one already.
    expect(deepCopies).toBeGreaterThan(50)
    expect(tabChurn).toBeGreaterThan(50)
  }, 120_000)
})

describe('one answer per tab (SPEC 53)', () => {
  it('does not count a second answer of a tab that ignored its avoid: another copy goes to another tab', () => {
    const lender = createReplicatingLender({ retries: 2 }, { replicas: 2, maxReplicas: 5 })
    pull(pull.values(jobs(1)), lender.sink)
    const out = collectNow(lender)
    const sub = lender.lendStream({ name: 'a', credit: 1, tabs: () => ['a', 'b'] })
    const borrower = manualBorrower(sub)
    /** Takes the copy lent, answers it as computed by `by`, and returns the tabs it said to avoid. */
    const answer = (by: string): string[] => {
      borrower.read()
      const job = [...borrower.holding.values()][0] as Job
      const avoid = [...(job.avoid ?? [])]
      borrower.answer([{ id: job.id, ok: true, result: '-0', by }])
      return avoid
    }
    expect(answer('a')).toEqual([])
    // The second copy says to avoid 'a'; the subtree gives it to 'a' all the same: not counted.
    expect(answer('a')).toEqual(['a'])
    expect(out.values).toEqual([])
    expect(answer('b')).toEqual(['a'])
    expect(out.values.map((settled) => (settled.ok ? settled.result : 'failed'))).toEqual(['-0'])
    expect(lender.standings().map(({ name, agreed }) => [name, agreed])).toEqual([
      ['a', 1],
      ['b', 1],
    ])
  })
})
