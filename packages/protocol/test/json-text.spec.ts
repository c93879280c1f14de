import { describe, expect, it } from 'vitest'
import { MAX_JSON_DEPTH, nestsDeeperThan, parseJsonText, parseVolunteerMessage } from '../src/index.ts'

describe('nestsDeeperThan', () => {
  it('counts arrays and objects, not brackets inside strings', () => {
    expect(nestsDeeperThan('[[1]]', 2)).toBe(false)
    expect(nestsDeeperThan('[[[1]]]', 2)).toBe(true)
    expect(nestsDeeperThan('{"a":{"b":[]}}', 3)).toBe(false)
    expect(nestsDeeperThan('{"a":{"b":[{}]}}', 3)).toBe(true)
    expect(nestsDeeperThan('["[[[[[[", "{{{{"]', 1)).toBe(false)
  })

  it('sees the end of a string after escaped quotes and backslashes', () => {
    expect(nestsDeeperThan(String.raw`["\"[[[", "\\", [[1]]]`, 2)).toBe(true)
    expect(nestsDeeperThan(String.raw`["\\\"[[[[", 1]`, 1)).toBe(false)
  })

  it('scans 16 MB of nesting in linear time, without building anything', () => {
    const deep = '['.repeat(8 * 1024 * 1024) + ']'.repeat(8 * 1024 * 1024)
    expect(nestsDeeperThan(deep, MAX_JSON_DEPTH)).toBe(true)
  })
})

describe('parseJsonText', () => {
  it('refuses JSON nested deeper than MAX_JSON_DEPTH with a ProtocolError, before parsing it', () => {
    const deep = '['.repeat(MAX_JSON_DEPTH + 1) + ']'.repeat(MAX_JSON_DEPTH + 1)
    expect(() => parseJsonText(deep, 1024)).toThrow(
      `message nested too deep: more than ${MAX_JSON_DEPTH} levels`,
    )
    const shallow = '['.repeat(MAX_JSON_DEPTH) + ']'.repeat(MAX_JSON_DEPTH)
    expect(parseJsonText(shallow, 1024)).toBeInstanceOf(Array)
  })

  it('refuses a text over its limit with a MessageTooLargeError', () => {
    expect(() => parseJsonText('"12345"', 6)).toThrow(
      expect.objectContaining({ name: 'MessageTooLargeError', message: 'message too large: 7 characters' }),
    )
  })

  it('is what the volunteer messages are parsed with', () => {
    const frame = `{"type":"outcomes","ids":[],"results":[],"failures":${'['.repeat(100)}${']'.repeat(100)}}`
    expect(() => parseVolunteerMessage(frame)).toThrow(/nested too deep/)
  })
})
