import { describe, expect, it } from 'vitest'
import { frameRecord, parseRecords } from '../src/journal/record-format.ts'

const records = [{ pando: 'journal', version: 1 }, { n: 0, h: 'abc', r: 'é 😀 "quoted"\\' }, { w: 12 }]
const framed = Buffer.from(records.map(frameRecord).join(''))

describe('journal record format', () => {
  it('frames each record as `CRC LENGTH JSON` on one line, and reads them back', () => {
    const line = frameRecord({ w: 12 })
    expect(line).toMatch(/^[0-9a-f]{8} 8 \{"w":12\}\n$/)
    expect(parseRecords(framed)).toEqual({ records, validBytes: framed.length, tornTail: false })
  })

  it('counts the length in UTF-8 bytes', () => {
    const json = JSON.stringify(records[1])
    expect(frameRecord(records[1] as object).split(' ')[1]).toBe(Buffer.byteLength(json).toString(16))
  })

  it('drops a last record cut at any byte, never taking it for a valid one', () => {
    const lastStart = framed.length - frameRecord({ w: 12 }).length
    for (let cut = lastStart; cut < framed.length; cut++) {
      const parsed = parseRecords(framed.subarray(0, cut))
      expect(parsed.records).toEqual(records.slice(0, 2))
      expect(parsed.validBytes).toBe(lastStart)
      expect(parsed.tornTail).toBe(cut > lastStart)
    }
  })

  it('drops a complete last line whose bytes are not all right (a sector not on disk)', () => {
    const bytes = Buffer.from(framed)
    bytes[bytes.length - 3] = 0x30 // {"w":12} becomes {"w":02}: same length, other CRC
    const parsed = parseRecords(bytes)
    expect(parsed.records).toEqual(records.slice(0, 2))
    expect(parsed.tornTail).toBe(true)
    expect(parsed.corruptRecord).toBeUndefined()
  })

  it('calls a bad record followed by valid ones corrupt, and says which', () => {
    const bytes = Buffer.from(framed)
    const second = frameRecord(records[0] as object).length
    bytes[second + 20] = (bytes[second + 20] ?? 0) ^ 0x01
    const parsed = parseRecords(bytes)
    expect(parsed.corruptRecord).toBe(2)
    expect(parsed.records).toEqual(records.slice(0, 1))
  })

  it('refuses a line with a wrong length or a malformed frame', () => {
    const good = frameRecord({ w: 1 })
    const [crc, , json] = good.trimEnd().split(' ')
    for (const bad of [`${crc} 9 ${json}\n`, `${crc}7 ${json}\n`, `not a record\n`, `${crc} 7${json}\n`]) {
      expect(parseRecords(Buffer.from(bad))).toEqual({ records: [], validBytes: 0, tornTail: true })
    }
  })
})
