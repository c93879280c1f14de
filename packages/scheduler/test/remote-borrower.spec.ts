import { MAX_TAB_WORKERS, type Job } from '@pando/protocol'
import pull from 'pull-stream'
import { describe, expect, it } from 'vitest'
import { EARNED_CREDIT_PER_ANSWER, UNPROVEN_CREDIT } from '../src/constants.ts'
import { createLender, lendToRemote, unprovenCredit } from '../src/index.ts'
import { collect, jobs, success } from './util.ts'

describe('lendToRemote', () => {
  it('sends batches cut to the batch size and takes the outcomes back, in any order', async () => {
    const lender = createLender()
    pull(pull.values(jobs(10)), lender.sink)
    const sent: Job[][] = []
    const remote = lendToRemote(lender.lendStream({ credit: 6 }), (batch) => sent.push(batch), {
      batchSize: 4,
    })
    const results = collect(lender)
    while (sent.length > 0) {
      const batch = sent.shift() ?? []
      remote.receive(batch.map((job) => success(job)).reverse())
      await Promise.resolve()
    }
    expect((await results).map((settled) => settled.ok && settled.result)).toEqual(
      jobs(10).map((job) => String(-job.id)),
    )
  })

  it('holds two messages at once with a credit of two batches, once it earned it by answering', async () => {
    const lender = createLender()
    pull(pull.values(jobs(100)), lender.sink)
    pull(lender.source, pull.drain())
    const sent: Job[][] = []
    const subStream = lender.lendStream()
    const remote = lendToRemote(subStream, (batch) => sent.push(batch), { batchSize: 4 })
    // Answered nothing yet: one item, whatever its batch (earnedCredit).
    expect(sent.map((batch) => batch.length)).toEqual([UNPROVEN_CREDIT])
    remote.receive(
      sent
        .splice(0)
        .flat()
        .map((job) => success(job)),
    )
    await Promise.resolve()
    remote.receive(
      sent
        .splice(0)
        .flat()
        .map((job) => success(job)),
    )
    await Promise.resolve()
    expect(subStream.credit).toBe(8)
    expect(sent.map((batch) => batch.length)).toEqual([4, 4])
  })

  it('lends a peer that never answers one item, however many workers it claims', () => {
    const lender = createLender()
    pull(pull.values(jobs(100)), lender.sink)
    const sent: Job[][] = []
    const remote = lendToRemote(lender.lendStream(), (batch) => sent.push(batch), {
      batchSize: 'auto',
      workers: 1_000,
    })
    remote.setWorkers(100_000)
    expect(sent.flat()).toHaveLength(UNPROVEN_CREDIT)
    // Outcomes for items it does not hold earn it nothing.
    remote.receive([{ id: 50, ok: true, result: 'forged' }])
    expect(sent.flat()).toHaveLength(UNPROVEN_CREDIT)
  })

  it('starts a borrower trusted with N Workers with N items, bounded by MAX_TAB_WORKERS', () => {
    const lender = createLender()
    pull(pull.values(jobs(1_000)), lender.sink)
    const sent: Job[][] = []
    lendToRemote(lender.lendStream(), (batch) => sent.push(batch), {
      batchSize: 'auto',
      workers: 2,
      unprovenWorkers: 2,
    })
    expect(sent.flat()).toHaveLength(2 * UNPROVEN_CREDIT)
    const claims: Job[][] = []
    const claimant = lendToRemote(lender.lendStream(), (batch) => claims.push(batch), {
      batchSize: 'auto',
      workers: 1_000,
      unprovenWorkers: 1_000,
    })
    claimant.setWorkers(100_000)
    expect(claims.flat()).toHaveLength(MAX_TAB_WORKERS * UNPROVEN_CREDIT)
    expect(unprovenCredit(0)).toBe(UNPROVEN_CREDIT)
  })

  it("grows a peer's credit by four items per item it answers, up to its batch sizing", () => {
    const lender = createLender()
    pull(pull.values(jobs(1_000)), lender.sink)
    pull(lender.source, pull.drain())
    const sent: Job[][] = []
    const subStream = lender.lendStream()
    const remote = lendToRemote(subStream, (batch) => sent.push(batch), { batchSize: 10, workers: 2 })
    expect(subStream.credit).toBe(UNPROVEN_CREDIT)
    let answered = 0
    while (subStream.credit < 2 * 10 * 2) {
      const batch = sent.splice(0).flat()
      remote.receive(batch.map((job) => success(job)))
      answered += batch.length
      expect(subStream.credit).toBe(Math.min(40, UNPROVEN_CREDIT + EARNED_CREDIT_PER_ANSWER * answered))
    }
  })

  it('lends nothing to a peer with no Workers (paused), takes back what it returns, and lends again after', async () => {
    const lender = createLender({ ordered: false })
    pull(pull.values(jobs(20)), lender.sink)
    pull(lender.source, pull.drain())
    const sent: Job[][] = []
    const subStream = lender.lendStream()
    const remote = lendToRemote(subStream, (batch) => sent.push(batch), {
      batchSize: 2,
      workers: 2,
      unprovenWorkers: 2,
    })
    expect(sent.flat().map((job) => job.id)).toEqual([0, 1])
    // Paused: its credit drops to 0 and it keeps what it holds (its running items still count)...
    remote.setWorkers(0)
    expect(subStream.credit).toBe(0)
    remote.receive([success(sent.flat()[0] as Job)])
    await Promise.resolve()
    expect(sent.flat()).toHaveLength(2)
    // ...and what it gives back is not lent to it again: it waits for another borrower.
    remote.giveBack([1, 1, 99])
    expect(subStream.held).toBe(0)
    expect(sent.flat()).toHaveLength(2)
    expect(lender.state()).toMatchObject({ relendQueue: 1, ignored: 2 })
    // Resumed, it gets the returned item first.
    remote.setWorkers(2)
    expect(sent.flat()[2]?.id).toBe(1)
    remote.close()
  })

  it('gives the items of a closed peer to another, and ignores what it says after', async () => {
    const lender = createLender()
    pull(pull.values(jobs(5)), lender.sink)
    const lost: Job[][] = []
    const gone = lendToRemote(lender.lendStream({ credit: 5 }), (batch) => lost.push(batch), { batchSize: 5 })
    expect(lost.flat()).toHaveLength(UNPROVEN_CREDIT) // all a new peer may hold (earnedCredit)
    gone.close(new Error('disconnected'))
    gone.receive((lost[0] ?? []).map((job) => success(job, 'late')))
    const sent: Job[][] = []
    const other = lendToRemote(lender.lendStream({ credit: 5 }), (batch) => sent.push(batch), {
      batchSize: 5,
    })
    const results = collect(lender)
    while (sent.length > 0) {
      other.receive(
        sent
          .splice(0)
          .flat()
          .map((job) => success(job)),
      )
      await Promise.resolve()
    }
    expect((await results).map((settled) => settled.ok && settled.result)).toEqual([
      '0',
      '-1',
      '-2',
      '-3',
      '-4',
    ])
    expect(lender.state().ignored).toBe(0)
  })
})
