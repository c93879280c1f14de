import { describe, expect, it } from 'vitest'
import { FigureCounter, NO_FIGURES } from '../src/worker-figures.ts'

describe('FigureCounter', () => {
  describe('#begin and #end', () => {
    it('counts items and the time at least one ran, overlapping items counted once', () => {
      const counter = new FigureCounter()
      counter.begin(100)
      counter.begin(105)
      counter.end(112.5)
      counter.end(120)
      counter.begin(200)
      counter.end(207.5)
      expect(counter.take(300)).toEqual({ items: 3, itemTime: 27.5, ownTime: 0, reported: undefined })
      expect(counter.take(400)).toEqual(NO_FIGURES)
    })

    it('counts the busy time of an item still running up to the take, and the rest in the next one', () => {
      const counter = new FigureCounter()
      counter.begin(0)
      expect(counter.take(50)).toEqual({ items: 0, itemTime: 50, ownTime: 0, reported: undefined })
      counter.end(80)
      expect(counter.take(100)).toEqual({ items: 1, itemTime: 30, ownTime: 0, reported: undefined })
    })
  })

  describe('own time (#returned)', () => {
    it('counts 50 timers of 1 s run at once as 1 s each, and synchronous items as what each computed', () => {
      const waiting = new FigureCounter()
      const timers = Array.from({ length: 50 }, () => waiting.begin(0))
      for (const timer of timers) waiting.returned(timer, 0)
      for (const timer of timers) waiting.end(1_000, timer)
      expect(waiting.take(1_000)).toMatchObject({ items: 50, itemTime: 1_000, ownTime: 50_000 })
      // Three synchronous items of 20 ms in one batch: each settles once all have run (microtasks), yet the
      // others' synchronous time is not its own.
      const computing = new FigureCounter()
      const items = [0, 20, 40].map((start) => {
        const item = computing.begin(start)
        computing.returned(item, start + 20)
        return item
      })
      for (const item of items) computing.end(60, item)
      expect(computing.take(60)).toMatchObject({ items: 3, itemTime: 60, ownTime: 60 })
    })
  })

  describe('#addReport', () => {
    it("sums the module's report() calls as the original did: nbItems 1 by default, the latest units", () => {
      const counter = new FigureCounter()
      counter.addReport({ cpuTime: 10, dataTransferTime: 2, nbItems: 3, units: 'BigNums' })
      counter.addReport({ cpuTime: 5 })
      counter.addReport({ nbItems: 2, units: 'pixels' })
      expect(counter.take(0).reported).toEqual({
        calls: 3,
        nbItems: 6,
        units: 'pixels',
        cpuTime: 15,
        dataTransferTime: 2,
      })
      expect(counter.take(0).reported).toBeUndefined()
    })

    it('reads bad figures leniently: no call ever throws', () => {
      const counter = new FigureCounter()
      counter.addReport(undefined)
      counter.addReport({ cpuTime: -1, dataTransferTime: Number.NaN, nbItems: 'x', units: 42 })
      counter.addReport({ nbItems: 0, units: 'u'.repeat(100) })
      expect(counter.take(0).reported).toEqual({
        calls: 3,
        nbItems: 2,
        units: 'u'.repeat(40),
        cpuTime: 0,
        dataTransferTime: 0,
      })
    })
  })
})
