import { describe, expect, it } from 'vitest'
import { RerunningLoop } from '../src/rerunning-loop.ts'

describe('RerunningLoop', () => {
  describe('#run', () => {
    it('runs a call made from inside a round as one more round after it, never nested', () => {
      const log: string[] = []
      let depth = 0
      let rounds = 0
      const loop = new RerunningLoop(() => {
        depth++
        log.push(`round ${String(++rounds)} at depth ${String(depth)}`)
        if (rounds < 3) loop.run()
        depth--
      })
      loop.run()
      expect(log).toEqual(['round 1 at depth 1', 'round 2 at depth 1', 'round 3 at depth 1'])
    })

    it('runs again after a round that threw', () => {
      let rounds = 0
      const loop = new RerunningLoop(() => {
        if (++rounds === 1) throw new Error('a round failed')
      })
      expect(() => loop.run()).toThrow('a round failed')
      loop.run()
      expect(rounds).toBe(2)
    })
  })

  describe('#again', () => {
    it('asks for one more round from inside a round', () => {
      let rounds = 0
      const loop = new RerunningLoop(() => {
        if (++rounds < 4) loop.again()
      })
      loop.run()
      expect(rounds).toBe(4)
    })
  })
})
