import { crc32 } from 'node:zlib'

/**
 * How the journal frames its records: one line each, `CRC LENGTH JSON\n`, where CRC is the CRC-32 of JSON in
 * 8 hex digits and LENGTH its length in UTF-8 bytes, in hex. A record torn by a crash (cut anywhere, or its
 * bytes not all on disk) fails the check and is never mistaken for a valid one.
 */

/** A record as one framed line, ready to append. */
export function frameRecord(record: object): string {
  return frameJson(JSON.stringify(record))
}

/** A record already in JSON as one framed line. */
export function frameJson(json: string): string {
  const bytes = Buffer.byteLength(json)
  return `${crc32(json).toString(16).padStart(8, '0')} ${bytes.toString(16)} ${json}\n`
}

/** What a journal's bytes hold: its valid records, and what was wrong past them. */
export interface ParsedRecords {
  readonly records: readonly unknown[]
  /** Bytes of the valid records, from the start: where the next record goes. */
  readonly validBytes: number
  /**
   * The last record was torn (cut short, or failing its check with nothing after it): the trace of a crash
   * while writing it. It is dropped.
   */
  readonly tornTail: boolean
  /** A record that fails its check with valid records after it (1-based): the file is corrupt, not torn. */
  readonly corruptRecord?: number
}

const FRAME = /^([0-9a-f]{8}) ([0-9a-f]{1,8}) /

/** Reads the framed records of `bytes`; see {@link ParsedRecords}. */
export function parseRecords(bytes: Buffer): ParsedRecords {
  const records: unknown[] = []
  let start = 0
  let validBytes = 0
  let bad: number | undefined
  while (start < bytes.length) {
    const end = bytes.indexOf(0x0a, start)
    if (end === -1) return { records, validBytes, tornTail: true }
    const record = checkLine(bytes.subarray(start, end))
    if (record === undefined) {
      bad ??= records.length + 1
    } else {
      if (bad !== undefined) return { records, validBytes, tornTail: false, corruptRecord: bad }
      records.push(record.value)
      validBytes = end + 1
    }
    start = end + 1
  }
  return { records, validBytes, tornTail: bad !== undefined }
}

/** The record of one line, or undefined when the line is not a valid framed record. */
function checkLine(line: Buffer): { value: unknown } | undefined {
  const head = FRAME.exec(line.subarray(0, 18).toString('latin1'))
  if (head === null) return undefined
  const json = line.subarray(head[0].length)
  if (json.length !== parseInt(head[2] ?? '', 16)) return undefined
  if (crc32(json) !== parseInt(head[1] ?? '', 16)) return undefined
  try {
    return { value: JSON.parse(json.toString('utf8')) }
  } catch {
    return undefined
  }
}
