import pull from 'pull-stream'
import { describe, expect, it } from 'vitest'
import { createLender, type Settled } from '../src/index.ts'
import {
  asyncSource,
  collect,
  countingSource,
  failure,
  job,
  jobs,
  manualBorrower,
  pushable,
  type ManualBorrower,
  readOnce,
  settledOk,
  success,
  syncBorrower,
} from './util.ts'

/** Reads the lender's output as it comes, without ever ending. */
function drainInto(source: pull.Source<Settled>, into: Settled[]): void {
  pull(
    source,
    pull.drain((x: Settled) => {
      into.push(x)
    }),
  )
}

describe('createLender', () => {
  it('rejects a window below 1 and negative or fractional retries with a RangeError', () => {
    expect(() => createLender({ window: 0 })).toThrow(RangeError)
    expect(() => createLender({ retries: -1 })).toThrow(RangeError)
    expect(() => createLender({ retries: 1.5 })).toThrow(RangeError)
  })

  it('maps a stream through one sub-stream, in order', async () => {
    const lender = createLender()
    syncBorrower(lender.lendStream({ credit: 3 }))
    pull(pull.values(jobs(10)), lender.sink)
    expect(await collect(lender)).toEqual(jobs(10).map((j) => settledOk(j.id)))
    expect(lender.state()).toMatchObject({ read: 10, emitted: 10, pending: 0, lent: 0, subStreams: 0 })
  })
})

describe('SubStream credit', () => {
  it('gives non-empty batches of at most the free credit, and all it can without waiting', () => {
    const lender = createLender()
    const input = countingSource(5)
    pull(input.source, lender.sink)
    const b = manualBorrower(lender.lendStream({ credit: 3 }))
    b.read()
    expect(b.batches).toEqual([jobs(3)])
    b.read()
    expect(b.reading()).toBe(true) // no free credit: the read waits
    b.answer([success(job(1))])
    expect(b.batches[1]).toEqual([job(3)])
    b.read()
    b.answer([success(job(0)), success(job(2))])
    expect(b.batches[2]).toEqual([job(4)]) // the input has no more: no waiting to fill the batch
  })

  it('never holds more than its credit, after setCredit down and up', () => {
    const lender = createLender()
    pull(countingSource().source, lender.sink)
    const sub = lender.lendStream({ credit: 4 })
    const b = manualBorrower(sub)
    b.read()
    expect(sub.held).toBe(4)
    sub.setCredit(2)
    b.read()
    b.answer([success(job(0))])
    expect(b.reading()).toBe(true) // 3 held, credit 2
    b.answer([success(job(1))])
    expect(b.reading()).toBe(true) // 2 held, credit 2
    b.answer([success(job(2))])
    expect(b.batches[1]).toEqual([job(4)]) // 1 held: 1 free
    expect(sub.held).toBe(2)
    b.read()
    sub.setCredit(5) // wakes the waiting read
    expect(b.batches[2]).toEqual(jobs(8).slice(5))
    expect(sub.held).toBe(5)
  })

  it('lends nothing to a sub-stream of credit 0 until its credit is raised', () => {
    const lender = createLender()
    const input = countingSource()
    pull(input.source, lender.sink)
    const sub = lender.lendStream({ credit: 0 })
    const b = manualBorrower(sub)
    b.read()
    expect(input.reads()).toBe(0)
    sub.setCredit(2)
    expect(b.batches).toEqual([jobs(2)])
  })

  it('rejects a negative or fractional credit with a RangeError', () => {
    const lender = createLender()
    expect(() => lender.lendStream({ credit: -1 })).toThrow(RangeError)
    expect(() => lender.lendStream().setCredit(0.5)).toThrow(RangeError)
  })
})

describe('lazy reading', () => {
  it('reads nothing while no sub-stream asks', () => {
    const lender = createLender()
    const input = countingSource()
    pull(input.source, lender.sink)
    const out: Settled[] = []
    drainInto(lender.source, out)
    lender.lendStream({ credit: 10 })
    expect(input.reads()).toBe(0)
  })

  it('reads an endless input only as far as the window while the output is not read', () => {
    const lender = createLender({ window: 8 })
    const input = countingSource()
    pull(input.source, lender.sink)
    syncBorrower(lender.lendStream({ credit: 3 }))
    expect(input.reads()).toBe(8)
    expect(lender.state()).toMatchObject({ read: 8, pending: 8, emitted: 0 })
  })

  it('reads one more item for each one emitted, never above the window', async () => {
    const lender = createLender({ window: 8 })
    const input = countingSource()
    pull(input.source, lender.sink)
    syncBorrower(lender.lendStream({ credit: 3 }))
    for (let i = 0; i < 20; i++) {
      expect(await readOnce(lender.source)).toEqual({ end: null, value: settledOk(i) })
      expect(lender.state().pending).toBeLessThanOrEqual(8)
    }
    expect(input.reads()).toBeLessThanOrEqual(28)
    expect(input.reads()).toBeGreaterThanOrEqual(21)
  })

  it('serves an asynchronous input, never reading again before its callback', async () => {
    const lender = createLender()
    const a = lender.lendStream({ credit: 4 })
    const b = lender.lendStream({ credit: 2 })
    syncBorrower(a)
    syncBorrower(b)
    pull(asyncSource(jobs(50)), lender.sink)
    expect(await collect(lender)).toEqual(jobs(50).map((j) => settledOk(j.id)))
  })
})

describe('re-lending', () => {
  it('lends what a closed sub-stream held to the others before new items', () => {
    const lender = createLender()
    pull(countingSource().source, lender.sink)
    const a = manualBorrower(lender.lendStream({ credit: 3, name: 'a' }))
    a.read()
    a.answer([success(job(1))])
    a.endSink() // closes holding 0 and 2
    const b = manualBorrower(lender.lendStream({ credit: 3, name: 'b' }))
    b.read()
    expect(b.batches[0]).toEqual([job(0), job(2), job(3)])
    expect(lender.state()).toMatchObject({ relent: 2, relendQueue: 0, subStreams: 1 })
  })

  it('closes a sub-stream whose sink errors, ending its source and re-lending what it held', () => {
    const lender = createLender()
    pull(countingSource().source, lender.sink)
    const sub = lender.lendStream({ credit: 2 })
    const a = manualBorrower(sub)
    a.read()
    a.read()
    a.endSink(new Error('channel lost'))
    expect(sub.closed).toBe(true)
    expect(a.ended()).toBe(true)
    expect(lender.state()).toMatchObject({ relent: 2, relendQueue: 2, lent: 0 })
  })

  it('closes on close(), idempotently, and ignores what the sub-stream answers afterwards', () => {
    const lender = createLender()
    pull(countingSource().source, lender.sink)
    const sub = lender.lendStream({ credit: 2 })
    const a = manualBorrower(sub)
    a.read()
    sub.close(new Error('missed heartbeat'))
    sub.close()
    a.answerAll()
    expect(lender.state()).toMatchObject({ relent: 2, ignored: 2, subStreams: 0 })
  })

  it('stops lending after its source is aborted with true, but still takes its answers', () => {
    const lender = createLender()
    pull(countingSource().source, lender.sink)
    const sub = lender.lendStream({ credit: 2 })
    const a = manualBorrower(sub)
    a.read()
    sub.source(true, () => {})
    a.answerAll()
    a.read()
    expect(a.ended()).toBe(true)
    expect(lender.state()).toMatchObject({ relent: 0, ignored: 0, lent: 0 })
  })

  it('closes and re-lends when its source is aborted with an error', () => {
    const lender = createLender()
    pull(countingSource().source, lender.sink)
    const sub = lender.lendStream({ credit: 2 })
    manualBorrower(sub).read()
    sub.source(new Error('channel failed'), () => {})
    expect(sub.closed).toBe(true)
    expect(lender.state().relent).toBe(2)
  })
})

describe('id matching', () => {
  it('matches outcomes by id in any order and emits in read order', async () => {
    const lender = createLender()
    pull(pull.values(jobs(4)), lender.sink)
    const a = manualBorrower(lender.lendStream({ credit: 4 }))
    a.read()
    a.answer([success(job(3)), success(job(1))])
    a.answer([success(job(2))])
    a.answer([success(job(0))])
    a.read()
    expect(await collect(lender)).toEqual(jobs(4).map((j) => settledOk(j.id)))
  })

  it('ignores late, duplicate and stray outcomes, and counts them', async () => {
    const lender = createLender()
    pull(pull.values(jobs(3)), lender.sink)
    const subA = lender.lendStream({ credit: 3 })
    const a = manualBorrower(subA)
    const b = manualBorrower(lender.lendStream({ credit: 3 }))
    a.read()
    a.answer([success(job(0)), success(job(0)), success(job(99))]) // duplicate, stray
    b.read() // nothing left: waits
    subA.close() // a closes holding 1 and 2, which go to b
    a.answer([success(job(1))]) // late: a is closed
    expect(b.batches[0]).toEqual([job(1), job(2)])
    b.answer([success(job(0))]) // never lent to b
    b.answerAll()
    b.read()
    expect(await collect(lender)).toEqual(jobs(3).map((j) => settledOk(j.id)))
    expect(lender.state().ignored).toBe(4)
  })
})

describe('retries', () => {
  it('lends a failed item again to a sub-stream that has not failed it, then emits it failed', async () => {
    const lender = createLender({ retries: 2 })
    pull(pull.values(jobs(1)), lender.sink)
    const [a, b, c] = ['a', 'b', 'c'].map((name) => manualBorrower(lender.lendStream({ name }))) as [
      ManualBorrower,
      ManualBorrower,
      ManualBorrower,
    ]
    a.read()
    b.read() // b and c wait: nothing left
    c.read()
    a.answer([failure(job(0), 'first')])
    a.read()
    expect(b.batches).toEqual([[job(0)]])
    b.answer([failure(job(0), 'second')])
    expect(c.batches).toEqual([[job(0)]]) // a and b failed it: c gets it
    expect(a.batches).toHaveLength(1)
    c.answer([failure(job(0), 'third')])
    const out = await collect(lender)
    expect(out).toEqual([
      { id: 0, value: '0', ok: false, error: { name: 'Error', message: 'third' }, attempts: 3 },
    ])
    expect(lender.state()).toMatchObject({ failures: 3, relent: 0 })
  })

  it('retries on the same sub-stream when the others never read, are paused (credit 0) or stopped accepting', () => {
    const lender = createLender()
    pull(pull.values(jobs(1)), lender.sink)
    lender.lendStream({ name: 'never read' })
    manualBorrower(lender.lendStream({ name: 'paused', credit: 0 })).read()
    const stopped = lender.lendStream({ name: 'stopped' })
    stopped.source(true, () => {})
    const a = manualBorrower(lender.lendStream({ name: 'a' }))
    a.read()
    a.answer([failure(job(0))])
    a.read()
    expect(a.batches).toEqual([[job(0)], [job(0)]])
  })

  it('retries on the only sub-stream when every open one has failed the item', async () => {
    const lender = createLender({ retries: 1 })
    pull(pull.values(jobs(2)), lender.sink)
    let calls = 0
    syncBorrower(lender.lendStream({ credit: 1 }), (j) =>
      j.id === 0 && calls++ === 0 ? failure(j) : success(j),
    )
    expect(await collect(lender)).toEqual([settledOk(0), settledOk(1)])
    expect(lender.state().failures).toBe(1)
  })

  it('emits ok:false with retries + 1 attempts for an item that always fails', async () => {
    const lender = createLender({ retries: 3 })
    pull(pull.values(jobs(3)), lender.sink)
    syncBorrower(lender.lendStream({ credit: 2 }), (j) => (j.id === 1 ? failure(j, 'boom') : success(j)))
    const out = await collect(lender)
    expect(out[1]).toEqual({
      id: 1,
      value: '1',
      ok: false,
      error: { name: 'Error', message: 'boom' },
      attempts: 4,
    })
    expect([out[0], out[2]]).toEqual([settledOk(0), settledOk(2)])
  })

  it('keeps the sub-stream open after a function failure', () => {
    const lender = createLender()
    pull(countingSource().source, lender.sink)
    const sub = lender.lendStream({ credit: 1 })
    const a = manualBorrower(sub)
    a.read()
    a.answer([failure(job(0))])
    expect(sub.closed).toBe(false)
    a.read()
    expect(a.batches[1]).toEqual([job(0)]) // the only sub-stream: retried there
  })
})

describe('ordering', () => {
  it('emits in read order when ordered (the default)', () => {
    const lender = createLender()
    pull(pull.values(jobs(3)), lender.sink)
    const out: Settled[] = []
    drainInto(lender.source, out)
    const a = manualBorrower(lender.lendStream({ credit: 3 }))
    a.read()
    a.answer([success(job(2)), success(job(1))])
    expect(out).toEqual([])
    a.answer([success(job(0))])
    expect(out.map((x) => x.id)).toEqual([0, 1, 2])
  })

  it('emits as soon as settled when unordered', () => {
    const lender = createLender({ ordered: false })
    pull(pull.values(jobs(3)), lender.sink)
    const out: Settled[] = []
    drainInto(lender.source, out)
    const a = manualBorrower(lender.lendStream({ credit: 3 }))
    a.read()
    a.answer([success(job(2)), success(job(1))])
    expect(out.map((x) => x.id)).toEqual([2, 1])
    a.answer([success(job(0))])
    expect(out.map((x) => x.id)).toEqual([2, 1, 0])
  })

  it('keeps at most the window read-but-not-emitted when unordered, with the head stuck', () => {
    const lender = createLender({ ordered: false, window: 4 })
    const input = countingSource()
    pull(input.source, lender.sink)
    const stuck = manualBorrower(lender.lendStream({ credit: 1 }))
    stuck.read() // holds item 0 forever
    syncBorrower(lender.lendStream({ credit: 2 }))
    expect(lender.state().pending).toBe(4)
    const out: Settled[] = []
    pull(
      lender.source,
      pull.take(20),
      pull.drain((x: Settled) => {
        out.push(x)
        expect(lender.state().pending).toBeLessThanOrEqual(4)
      }),
    )
    expect(out).toHaveLength(20) // the others flow while 0 is stuck
    expect(out.map((x) => x.id)).not.toContain(0)
  })
})

describe('termination', () => {
  it('ends the output once the input ended and everything is emitted, and ends every sub-stream', async () => {
    const lender = createLender()
    pull(pull.values(jobs(2)), lender.sink)
    const idle = manualBorrower(lender.lendStream({ credit: 1 }))
    syncBorrower(lender.lendStream({ credit: 1 }))
    idle.read()
    expect(await collect(lender)).toEqual([settledOk(0), settledOk(1)])
    expect(idle.ended()).toBe(true)
    expect(lender.state()).toMatchObject({ subStreams: 0, inputEnded: true })
  })

  it('gives a sub-stream created before the lender is connected its share once it is', async () => {
    const lender = createLender()
    syncBorrower(lender.lendStream({ credit: 2 }))
    const result = collect(lender)
    pull(pull.values(jobs(5)), lender.sink)
    expect(await result).toHaveLength(5)
  })

  it('ends at once a sub-stream created after everything was lent and answered', async () => {
    const lender = createLender()
    pull(pull.values(jobs(2)), lender.sink)
    syncBorrower(lender.lendStream({ credit: 2 }))
    await collect(lender)
    const late = lender.lendStream()
    expect(late.closed).toBe(true)
    expect((await readOnce(late.source)).end).toBe(true)
  })

  it('keeps a sub-stream created after the input ended open while items may still come back', () => {
    const lender = createLender()
    pull(pull.values(jobs(1)), lender.sink)
    const a = manualBorrower(lender.lendStream({ credit: 2 }))
    a.read() // gets item 0, and the input ends
    expect(lender.state().inputEnded).toBe(true)
    const b = manualBorrower(lender.lendStream({ credit: 1 }))
    b.read()
    a.endSink()
    expect(b.batches).toEqual([[job(0)]])
  })

  it('ends an empty input at once', async () => {
    const lender = createLender()
    pull(pull.empty(), lender.sink)
    lender.lendStream()
    const b = manualBorrower(lender.lendStream())
    b.read()
    expect(await collect(lender)).toEqual([])
    expect(b.ended()).toBe(true)
  })
})

describe('errors and abort', () => {
  it('propagates an input error after the items already settled in order', async () => {
    const lender = createLender()
    const input = countingSource(Infinity, { errorAfter: 3 })
    pull(input.source, lender.sink)
    const a = manualBorrower(lender.lendStream({ credit: 3 }))
    a.read()
    a.answer([success(job(0)), success(job(2))])
    a.read() // reads the input, which fails: lending stops
    const out: Settled[] = []
    const ended = new Promise((resolve) => {
      pull(
        lender.source,
        pull.drain((x: Settled) => {
          out.push(x)
        }, resolve),
      )
    })
    expect(await ended).toEqual(new Error('input failed'))
    expect(out).toEqual([settledOk(0)]) // 1 was never answered, so 2 stays behind it
    expect(a.ended()).toBe(true)
    expect(lender.state()).toMatchObject({ inputEnded: true, subStreams: 0 })
  })

  it('aborts the input and ends every sub-stream when the output is aborted', async () => {
    const lender = createLender()
    const input = countingSource()
    pull(input.source, lender.sink)
    const a = manualBorrower(lender.lendStream({ credit: 2 }))
    syncBorrower(lender.lendStream({ credit: 2 }))
    a.read()
    const values = await new Promise<Settled[]>((resolve) => {
      pull(
        lender.source,
        pull.take(5),
        pull.collect((_err, xs) => resolve(xs)),
      )
    })
    expect(values).toHaveLength(5)
    expect(input.aborted()).toBe(true)
    a.read()
    expect(a.ended()).toBe(true)
    expect(lender.lendStream().closed).toBe(true)
    expect(lender.state()).toMatchObject({ subStreams: 0, lent: 0, inputEnded: true })
  })

  it('aborts an input connected after the output was aborted', () => {
    const lender = createLender()
    lender.source(true, () => {})
    const input = countingSource()
    pull(input.source, lender.sink)
    expect(input.aborted()).toBe(true)
    expect(input.reads()).toBe(0)
  })

  it('waits for the read in flight before aborting an asynchronous input', async () => {
    const lender = createLender()
    const source = pushable<ReturnType<typeof job>>()
    pull(source.source, lender.sink)
    const a = manualBorrower(lender.lendStream())
    a.read() // the lender reads the input, which has nothing yet
    const aborted = new Promise((resolve) => lender.source(true, resolve))
    expect(source.aborted()).toBe(null)
    source.push(job(0))
    expect(await aborted).toBe(true)
    expect(source.aborted()).toBe(true)
  })
})

describe('createLender({ lookAhead: true })', () => {
  it('ends the output of an empty input with no sub-stream at all', async () => {
    const lender = createLender({ lookAhead: true })
    pull(pull.values([]), lender.sink)
    expect(await collect(lender)).toEqual([])
  })

  it('reads one item ahead at most while no sub-stream asks', () => {
    const lender = createLender({ lookAhead: true })
    const input = countingSource()
    pull(input.source, lender.sink)
    pull(lender.source, pull.drain())
    expect(input.reads()).toBe(1)
  })
})
