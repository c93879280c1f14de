import { describe, expect, it } from 'vitest'
import { labelled, volunteerLabels } from '../src/volunteer-labels.ts'
import { statusAt } from './scenario.ts'

describe('volunteerLabels', () => {
  it('keeps a name of its own, and adds the start of the id to a name that others share', () => {
    const status = statusAt(3)
    const [a, b, c] = status.volunteers
    if (a === undefined || b === undefined || c === undefined)
      throw new Error('the scenario has 3 volunteers')
    const reports = [
      { ...a, id: '3f2a9c', deviceName: 'Linux x86_64' },
      { ...b, id: '77b01e', deviceName: 'Linux x86_64' },
      { ...c, id: 'c0ffee', deviceName: 'Alice' },
      { ...c, id: 'deadbeef', deviceName: '' },
    ]
    expect([...volunteerLabels(reports).values()]).toEqual([
      'Linux x86_64 #3f2a',
      'Linux x86_64 #77b0',
      'Alice',
      'volunteer #dead',
    ])
    expect(labelled({ ...status, volunteers: reports }).volunteers.map((r) => r.deviceName)).toEqual([
      'Linux x86_64 #3f2a',
      'Linux x86_64 #77b0',
      'Alice',
      'volunteer #dead',
    ])
  })
})
