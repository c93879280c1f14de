import { describe, expect, it } from 'vitest'
import { exclusionText, isDoubted, standingCellText } from '../src/standing-text.ts'

const standing = { id: 'v1', agreed: 12, outvoted: 0, caught: 0, failed: 0, timedOut: 0, trusted: false }

describe('a volunteer’s standing in words', () => {
  it('says agreements, then what is doubtful, trust first', () => {
    expect(standingCellText(undefined)).toBe('not judged yet')
    expect(standingCellText(standing)).toBe('12 agreed')
    expect(standingCellText({ ...standing, trusted: true })).toBe('trusted · 12 agreed')
    expect(standingCellText({ ...standing, outvoted: 1, failed: 2, timedOut: 1 })).toBe(
      '12 agreed · 1 outvoted · 2 failed (1 timed out)',
    )
    expect(isDoubted(standing)).toBe(false)
    expect(isDoubted({ ...standing, outvoted: 1 })).toBe(true)
  })

  it('says why a volunteer was excluded: outvoted, or caught by a spot check', () => {
    const outvoted = { ...standing, agreed: 0, outvoted: 3, excluded: 'was outvoted on 3 items: excluded' }
    expect(exclusionText(outvoted)).toBe('outvoted 3 times, agreed 0')
    expect(standingCellText(outvoted)).toBe('excluded: outvoted 3 times, agreed 0')
    expect(exclusionText({ ...outvoted, outvoted: 1, caught: 1 })).toBe('caught by a spot check')
    expect(isDoubted({ ...standing, excluded: 'why' })).toBe(true)
  })
})
