import { describe, expect, it } from 'vitest'
import { VolunteerRoster } from '../src/monitoring/volunteer-roster.ts'

describe('VolunteerRoster', () => {
  it('counts the volunteers of every transport in one count, with one wording for joins and leaves', () => {
    const notices: string[] = []
    const roster = new VolunteerRoster((message) => notices.push(message))
    const socket = {}
    const child = {}
    roster.join(socket, 1, 'Alice')
    // A tree child is counted at once, before its subtree's size is known (0 until it reports), and
    // announced when a status names it.
    roster.join(child, 0)
    expect(roster.connected).toBe(2)
    roster.named(child, [{ id: 'b1', label: 'Chrome · Linux · b1' }])
    roster.resize(child, 3)
    roster.named(child, [
      { id: 'b1', label: 'Chrome · Linux · b1' },
      { id: 'b2', label: 'Bob' },
    ])
    roster.resize(child, 2)
    expect(roster.connected).toBe(3)
    roster.leave(socket, 'disconnected')
    roster.leave(child, 'its WebRTC link closed')
    roster.leave(child, 'twice')
    expect(notices).toEqual([
      "volunteer 'Alice' joined (1 connected)",
      "volunteer 'Chrome · Linux · b1' joined (2 connected)",
      "volunteer 'Bob' joined (4 connected)",
      'a volunteer left (3 connected)',
      'a volunteer left: disconnected (2 connected)',
      '2 volunteers left: its WebRTC link closed (0 connected)',
    ])
    expect(roster.connected).toBe(0)
    expect(roster.most).toBe(4)
  })

  it('announces no more volunteers of a tree link than are behind it, each once', () => {
    const notices: string[] = []
    const roster = new VolunteerRoster((message) => notices.push(message))
    const child = {}
    roster.join(child, 1)
    const named = Array.from({ length: 5 }, (_, n) => ({ id: `v${String(n)}`, label: `tab ${String(n)}` }))
    roster.named(child, named)
    roster.named(child, named)
    roster.named({}, named)
    expect(notices).toEqual(["volunteer 'tab 0' joined (1 connected)"])
    // A name that came before its link's size grew is announced when it does.
    roster.resize(child, 2)
    expect(notices).toEqual([
      "volunteer 'tab 0' joined (1 connected)",
      "volunteer 'tab 1' joined (2 connected)",
    ])
  })

  it('says nothing once the run has ended, and still counts', () => {
    const notices: string[] = []
    const roster = new VolunteerRoster((message) => notices.push(message))
    roster.join('a', 1, 'A')
    roster.end()
    roster.leave('a', 'the run is over')
    expect(notices).toEqual(["volunteer 'A' joined (1 connected)"])
    expect(roster.connected).toBe(0)
  })
})
