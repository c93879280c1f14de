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
      expect(counter.take(300)).toEqual({ items: 3, itemTime: 27.5, reported: undefined })
      expect(counter.take(400)).toEqual(NO_FIGURES)
    })

    it('counts the busy time of an item still running up to the take, and the rest in the next one', () => {
      const counter = new FigureCounter()
      counter.begin(0)
      expect(counter.take(50)).toEqual({ items: 0, itemTime: 50, reported: undefined })
      counter.end(80)
      expect(counter.take(100)).toEqual({ items: 1, itemTime: 30, reported: undefined })
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
