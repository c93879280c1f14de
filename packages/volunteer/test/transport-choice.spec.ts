import { describe, expect, it } from 'vitest'
import { transportFromHash } from '../src/transport-choice.ts'

describe('transportFromHash', () => {
  it.each([
    ['', 'auto'],
    ['#device=Phone', 'auto'],
    ['#protocol=webrtc', 'webrtc'],
    ['#protocol=websocket', 'websocket'],
    ['#protocol=ws;device=Alice_Laptop;', 'websocket'],
    ['#protocol=webrtc;device=My_Phone;', 'webrtc'],
    ['#device=Phone&protocol=WebSocket', 'websocket'],
    ['#protocol=carrier-pigeon', 'auto'],
  ])('reads %j as %s', (hash, expected) => {
    expect(transportFromHash(hash)).toBe(expected)
  })
})
