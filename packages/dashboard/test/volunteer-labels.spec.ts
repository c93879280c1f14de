import { describe, expect, it } from 'vitest'
import { labelled, volunteerLabels } from '../src/volunteer-labels.ts'
import { statusAt } from './scenario.ts'

describe('volunteerLabels', () => {
  it('adds the start of the id to a browser default name, and to a chosen name only when others share it', () => {
    const status = statusAt(3)
    const [a, b, c] = status.volunteers
    if (a === undefined || b === undefined || c === undefined)
      throw new Error('the scenario has 3 volunteers')
    const reports = [
      { ...a, id: '3f2a9c', deviceName: 'Chrome · Linux' },
      { ...b, id: '77b01e', deviceName: 'Firefox · Windows' },
      { ...c, id: 'c0ffee', deviceName: 'Alice' },
      { ...c, id: 'deadbeef', deviceName: '' },
      { ...c, id: 'b0b0', deviceName: 'Bob' },
      { ...c, id: 'b1b1', deviceName: 'Bob ' },
    ]
    const expected = [
      'Chrome · Linux · 3f2a',
      'Firefox · Windows · 77b0',
      'Alice',
      'volunteer · dead',
      'Bob · b0b0',
      'Bob · b1b1',
    ]
    expect([...volunteerLabels(reports).values()]).toEqual(expected)
    expect(labelled({ ...status, volunteers: reports }).volunteers.map((r) => r.deviceName)).toEqual(expected)
  })
})
