import { describe, expect, it } from 'vitest'
import {
  MAX_ROOT_HELLO_BYTES,
  MAX_RUN_FILES,
  ProtocolError,
  ROOT_LINK_VERSION,
  isRunFileName,
  parseRootToServer,
  parseServerToRoot,
  type MonitorMessage,
  type RootToServer,
  type ServerToRoot,
} from '../src/index.ts'

const STATUS: MonitorMessage = {
  type: 'status',
  timestamp: 1_700_000_000_000,
  run: { startedAt: 1_700_000_000_000, elapsedMs: 0, itemsTotal: null },
  totals: { read: 0, done: 0, inFlight: 0, relent: 0, failed: 0, volunteers: 0, rate: 0, averageRate: 0 },
  volunteers: [],
  tree: [],
}

const CONFIG = { name: 'config.json', content: '{}' }

describe('parseRootToServer', () => {
  it.each<RootToServer>([
    { type: 'hello', version: ROOT_LINK_VERSION, secret: 's3cret' },
    { type: 'run-files', files: [{ name: 'bundle.js', content: 'self.x = 1' }, CONFIG] },
    { type: 'to-joiner', origin: 'a1', message: { type: 'answer', signal: { type: 'answer', sdp: 'v=0' } } },
    { type: 'to-joiner', origin: 'a1', message: { type: 'rejected', reason: 'full' } },
    { type: 'volunteer-send', connection: 3, data: '{"type":"jobs","jobs":[]}' },
    { type: 'volunteer-close', connection: 3, code: 1008, reason: 'malformed outcome' },
    { type: 'volunteer-close', connection: 3, code: 4002, reason: '' },
    { type: 'status', status: STATUS },
  ])('accepts %j', (message) => {
    expect(parseRootToServer(JSON.stringify(message))).toEqual(message)
  })

  it.each([
    ['not json', 'message is not JSON'],
    ['[]', 'message has no type'],
    ['{"type":"nope"}', "unknown message type 'nope'"],
    ['{"type":"hello","version":1}', 'malformed hello: secret'],
    ['{"type":"hello","version":-1,"secret":"s"}', 'malformed hello: version'],
    ['{"type":"run-files","files":[{"name":"bundle.js","content":""}]}', 'run-files: no config.json'],
    ['{"type":"run-files","files":[{"name":"../x","content":""}]}', 'run-files: a bad or repeated file name'],
    ['{"type":"run-files","files":[{"name":".env","content":""}]}', 'run-files: a bad or repeated file name'],
    ['{"type":"run-files","files":"bundle.js"}', 'malformed run-files'],
    [
      '{"type":"to-joiner","origin":"","message":{"type":"rejected","reason":"x"}}',
      'malformed to-joiner: origin',
    ],
    ['{"type":"to-joiner","origin":"a","message":{"type":"answer"}}', 'malformed to-joiner'],
    ['{"type":"volunteer-send","connection":0,"data":"x"}', 'malformed volunteer-send: connection'],
    ['{"type":"volunteer-send","connection":1.5,"data":"x"}', 'malformed volunteer-send: connection'],
    ['{"type":"volunteer-close","connection":1,"code":1006,"reason":""}', 'malformed volunteer-close: code'],
    ['{"type":"volunteer-close","connection":1,"code":999,"reason":""}', 'malformed volunteer-close: code'],
    ['{"type":"status","status":{"type":"status"}}', 'run is not an object'],
  ])('refuses %s', (data, reason) => {
    expect(() => parseRootToServer(data)).toThrow(new ProtocolError(reason))
  })

  it('refuses a hello larger than a hello may be before the root is known', () => {
    const hello = JSON.stringify({ type: 'hello', version: 1, secret: 'x'.repeat(MAX_ROOT_HELLO_BYTES) })
    expect(() => parseRootToServer(hello, MAX_ROOT_HELLO_BYTES)).toThrow(/message too large/)
  })

  it('refuses repeated file names and too many files', () => {
    const twice = { type: 'run-files', files: [CONFIG, CONFIG] }
    expect(() => parseRootToServer(JSON.stringify(twice))).toThrow('run-files: a bad or repeated file name')
    const files = Array.from({ length: MAX_RUN_FILES }, (_, i) => ({ name: `f${i}.js`, content: '' }))
    const many = { type: 'run-files', files: [...files, CONFIG] }
    expect(() => parseRootToServer(JSON.stringify(many))).toThrow('malformed run-files')
  })

  it('cuts a close reason to what a close frame carries', () => {
    const message = { type: 'volunteer-close', connection: 1, code: 1000, reason: 'r'.repeat(500) }
    expect(parseRootToServer(JSON.stringify(message))).toMatchObject({ reason: 'r'.repeat(123) })
  })
})

describe('parseServerToRoot', () => {
  it.each<ServerToRoot>([
    { type: 'welcome', urls: ['http://localhost:5000/'], dashboardUrls: [], heartbeatMs: 2000 },
    { type: 'ready' },
    { type: 'error', reason: 'wrong secret' },
    {
      type: 'join-signal',
      origin: '0123456789abcdef',
      seq: 0,
      weight: 1,
      signal: { type: 'offer', sdp: 'v=0' },
    },
    { type: 'volunteer-open', connection: 1 },
    { type: 'volunteer-message', connection: 1, data: '{"type":"hello"}' },
    { type: 'volunteer-close', connection: 1, code: 1006, reason: '' },
  ])('accepts %j', (message) => {
    expect(parseServerToRoot(JSON.stringify(message))).toEqual(message)
  })

  it.each([
    ['{"type":"welcome","urls":"x","dashboardUrls":[],"heartbeatMs":1}', 'malformed welcome: urls'],
    ['{"type":"welcome","urls":[],"dashboardUrls":[],"heartbeatMs":0}', 'malformed welcome: heartbeatMs'],
    ['{"type":"join-signal","origin":"o","seq":0,"weight":0,"signal":{}}', 'malformed join-signal: weight'],
    ['{"type":"join-signal","origin":"o","seq":0,"weight":1,"signal":"x"}', 'malformed join-signal: signal'],
    [
      `{"type":"join-signal","origin":"${'o'.repeat(65)}","seq":0,"weight":1,"signal":{}}`,
      'malformed join-signal: origin',
    ],
    ['{"type":"volunteer-message","connection":1}', 'malformed volunteer-message: data'],
    ['{"type":"volunteer-close","connection":1,"code":5000,"reason":""}', 'malformed volunteer-close: code'],
    ['{"type":"hello","version":1,"secret":"s"}', "unknown message type 'hello'"],
  ])('refuses %s', (data, reason) => {
    expect(() => parseServerToRoot(data)).toThrow(new ProtocolError(reason))
  })
})

describe('isRunFileName', () => {
  it.each(['bundle.js', 'config.json', 'bundle.js.LICENSE.txt', '_x-1'])('accepts %s', (name) => {
    expect(isRunFileName(name)).toBe(true)
  })
  it.each(['', '.', '..', '.hidden', 'a/b', 'a\\b', 'x'.repeat(101), 'é.js'])('refuses %j', (name) => {
    expect(isRunFileName(name)).toBe(false)
  })
})
