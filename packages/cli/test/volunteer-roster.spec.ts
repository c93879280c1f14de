import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { VolunteerRoster } from '../src/monitoring/volunteer-roster.ts'

/** A roster of a run reporting every 10 s (so a tree tab no status names is announced after 20 s). */
function roster(): { notices: string[]; roster: VolunteerRoster } {
  const notices: string[] = []
  return {
    notices,
    roster: new VolunteerRoster({ notify: (message) => notices.push(message), reportingIntervalMs: 10_000 }),
  }
}

const tab = (id: string, label = `Chrome · Linux · ${id}`): { id: string; label: string } => ({ id, label })

describe('VolunteerRoster', () => {
  beforeEach(() => {
    vi.useFakeTimers()
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  describe('#join', () => {
    it('counts the volunteers of every transport in one count, each announced once with its label', () => {
      const { notices, roster: volunteers } = roster()
      const socket = {}
      const child = {}
      volunteers.join(socket, 1, 'Alice')
      // A tree child is counted when a status names it, as long as its link has that many behind it.
      volunteers.join(child, 0)
      expect(volunteers.connected).toBe(1)
      volunteers.named(child, [tab('b1')])
      volunteers.resize(child, 3)
      volunteers.named(child, [tab('b1'), tab('b2', 'Bob')])
      expect(volunteers.connected).toBe(3)
      expect(notices).toEqual([
        "volunteer 'Alice' joined (1 connected)",
        "volunteer 'Chrome · Linux · b1' joined (2 connected)",
        "volunteer 'Bob' joined (3 connected)",
      ])
      expect(volunteers.most).toBe(3)
    })

    it('announces no more volunteers of a tree link than are behind it, each once', () => {
      const { notices, roster: volunteers } = roster()
      const child = {}
      volunteers.join(child, 1)
      const named = Array.from({ length: 5 }, (_, n) => tab(`v${String(n)}`, `tab ${String(n)}`))
      volunteers.named(child, named)
      volunteers.named(child, named)
      volunteers.named({}, named)
      expect(notices).toEqual(["volunteer 'tab 0' joined (1 connected)"])
      // A name that came before its link's size grew is announced when it does.
      volunteers.resize(child, 2)
      expect(notices).toEqual([
        "volunteer 'tab 0' joined (1 connected)",
        "volunteer 'tab 1' joined (2 connected)",
      ])
    })

    it('announces (and only then counts) a tree tab whose status never reaches the root, without its name', async () => {
      const { notices, roster: volunteers } = roster()
      const child = {}
      volunteers.join(child, 2)
      volunteers.named(child, [tab('a')])
      expect(volunteers.connected).toBe(1)
      await vi.advanceTimersByTimeAsync(19_999)
      expect(volunteers.connected).toBe(1)
      await vi.advanceTimersByTimeAsync(1)
      expect(volunteers.connected).toBe(2)
      // Named at last: not announced twice, but its leave names it.
      volunteers.named(child, [tab('a'), tab('b')])
      volunteers.leave(child, 'its WebRTC link closed')
      expect(notices).toEqual([
        "volunteer 'Chrome · Linux · a' joined (1 connected)",
        'an unnamed volunteer joined: no status of it reached the root (2 connected)',
        "volunteers 'Chrome · Linux · a' and 'Chrome · Linux · b' left: its WebRTC link closed (0 connected)",
      ])
    })

    it('says nothing of a tree tab that left before it was named or its grace ran out', async () => {
      const { notices, roster: volunteers } = roster()
      const child = {}
      volunteers.join(child, 1)
      volunteers.leave(child, 'its WebRTC link closed')
      await vi.advanceTimersByTimeAsync(60_000)
      expect(notices).toEqual([])
      expect(volunteers.connected).toBe(0)
    })
  })

  describe('#leave', () => {
    it('names the volunteer that left with the label its join used, whatever the transport', () => {
      const { notices, roster: volunteers } = roster()
      const socket = {}
      const child = {}
      volunteers.join(socket, 1, 'Chrome · Linux · 3fa2')
      volunteers.join(child, 1)
      volunteers.named(child, [tab('c0d3')])
      volunteers.leave(socket, 'disconnected')
      volunteers.leave(child, 'its WebRTC link closed')
      volunteers.leave(child, 'twice')
      expect(notices.slice(2)).toEqual([
        "volunteer 'Chrome · Linux · 3fa2' left: disconnected (1 connected)",
        "volunteer 'Chrome · Linux · c0d3' left: its WebRTC link closed (0 connected)",
      ])
    })

    it('names a few of a subtree that left with its link, and counts the rest', () => {
      const { notices, roster: volunteers } = roster()
      const child = {}
      volunteers.join(child, 7)
      volunteers.named(
        child,
        Array.from({ length: 7 }, (_, n) => tab(`t${String(n)}`, `tab ${String(n)}`)),
      )
      volunteers.leave(child, 'its WebRTC link closed')
      expect(notices.at(-1)).toBe(
        "volunteers 'tab 0', 'tab 1', 'tab 2', 'tab 3', 'tab 4' and 2 others left: its WebRTC link closed (0 connected)",
      )
    })

    it('counts those a shrinking subtree lost, and names at its close only those a status still names', () => {
      const { notices, roster: volunteers } = roster()
      const child = {}
      volunteers.join(child, 3)
      volunteers.named(child, [tab('a', 'A'), tab('b', 'B'), tab('c', 'C')])
      volunteers.resize(child, 2)
      expect(volunteers.connected).toBe(2)
      // Which one left is not known yet: none is named.
      volunteers.named(child, [tab('a', 'A'), tab('c', 'C')])
      volunteers.leave(child, 'its WebRTC link closed')
      expect(notices.slice(3)).toEqual([
        'a volunteer left (2 connected)',
        "volunteers 'A' and 'C' left: its WebRTC link closed (0 connected)",
      ])
    })

    it('announces once a tab that moved to another subtree as a newcomer took its place', () => {
      const { notices, roster: volunteers } = roster()
      const [first, second] = [{}, {}]
      volunteers.join(first, 1)
      volunteers.named(first, [tab('x', 'X')])
      volunteers.join(second, 1)
      volunteers.named(second, [tab('b', 'B')])
      // X found a new parent under the second child while Y joined under the first: the first's size did
      // not move, and its status names Y before the second's names X.
      volunteers.resize(second, 2)
      volunteers.named(first, [tab('y', 'Y')])
      volunteers.named(second, [tab('b', 'B'), tab('x', 'X')])
      expect(volunteers.connected).toBe(3)
      expect(notices).toEqual([
        "volunteer 'X' joined (1 connected)",
        "volunteer 'B' joined (2 connected)",
        "volunteer 'Y' joined (3 connected)",
      ])
      // A late status of the first still naming X changes nothing; each leave names whom its link holds.
      volunteers.named(first, [tab('y', 'Y'), tab('x', 'X')])
      volunteers.leave(second, 'its WebRTC link closed')
      expect(notices.at(-1)).toBe("volunteers 'B' and 'X' left: its WebRTC link closed (1 connected)")
    })

    it('announces again a tab that moved after its old subtree was told to have shrunk', () => {
      const { notices, roster: volunteers } = roster()
      const [first, second] = [{}, {}]
      volunteers.join(first, 2)
      volunteers.named(first, [tab('x', 'X'), tab('a', 'A')])
      volunteers.join(second, 1)
      volunteers.named(second, [tab('b', 'B')])
      volunteers.resize(first, 1)
      volunteers.resize(second, 2)
      volunteers.named(second, [tab('b', 'B'), tab('x', 'X')])
      expect(volunteers.connected).toBe(3)
      expect(notices.slice(3)).toEqual([
        'a volunteer left (2 connected)',
        "volunteer 'X' joined (3 connected)",
      ])
      volunteers.leave(first, 'its WebRTC link closed')
      expect(notices.at(-1)).toBe("volunteer 'A' left: its WebRTC link closed (2 connected)")
    })

    it('counts, without names, a subtree that left before a status said who had gone', () => {
      const { notices, roster: volunteers } = roster()
      const child = {}
      volunteers.join(child, 3)
      volunteers.named(child, [tab('a', 'A'), tab('b', 'B'), tab('c', 'C')])
      volunteers.resize(child, 2)
      volunteers.leave(child, 'its WebRTC link closed')
      expect(notices.at(-1)).toBe('2 volunteers left: its WebRTC link closed (0 connected)')
    })
  })

  it('says nothing once the run has ended, and still counts', async () => {
    const { notices, roster: volunteers } = roster()
    volunteers.join('a', 1, 'A')
    volunteers.join('b', 1)
    volunteers.end()
    volunteers.leave('a', 'the run is over')
    await vi.advanceTimersByTimeAsync(60_000)
    expect(notices).toEqual(["volunteer 'A' joined (1 connected)"])
    expect(volunteers.connected).toBe(0)
  })
})
