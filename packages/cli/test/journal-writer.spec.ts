import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { JOURNAL_VERSION, type ItemRecord } from '../src/journal/journal-records.ts'
import { JournalWriter } from '../src/journal/journal-writer.ts'
import { readJournal } from '../src/journal/read-journal.ts'

const HEADER = {
  pando: 'journal',
  version: JOURNAL_VERSION,
  module: { sha256: 'ab'.repeat(32), of: 'source' },
  options: { onError: 'abort', errorMarker: '' },
} as const

const RESULTS = ['0', '', '"quoted" \\ back', 'é 😀', 'line\tcontrol\u0001', 'x'.repeat(70_000)]

/** Items 0… with the results above, by two volunteers in turn, and a failure every fifth. */
function itemsOf(from: number, count: number): ItemRecord[] {
  return Array.from({ length: count }, (_, index): ItemRecord => {
    const n = from + index
    const by = n % 2 === 0 ? 'local' : 'v-7'
    if (n % 5 === 4) return { n, h: n * 7919, e: { name: 'Error', message: `bad ${n}` }, a: 2, by }
    return { n, h: 2 ** 53 - 1 - n, r: RESULTS[n % RESULTS.length], by }
  })
}

/** A journal with a header, a session, and the items in `batches`, one record each (a flush between). */
async function writeJournal(batches: readonly ItemRecord[][]): Promise<string> {
  const path = join(mkdtempSync(join(tmpdir(), 'journal-writer-')), 'journal')
  const failures: Error[] = []
  const writer = new JournalWriter(path, 0, (error) => failures.push(error))
  writer.append(HEADER)
  writer.append({ session: { at: 1, output: 0, file: null } })
  for (const batch of batches) {
    for (const item of batch) {
      if (item.r !== undefined && item.by !== undefined) writer.appendResult(item.n, item.h, item.r, item.by)
      else writer.appendItem(item)
    }
    await new Promise<void>((resolve) => writer.flush(resolve))
  }
  await writer.close()
  expect(failures).toEqual([])
  return path
}

const byPosition = (items: readonly ItemRecord[]): Map<number, ItemRecord> =>
  new Map(items.map((item) => [item.n, item]))

describe('JournalWriter', () => {
  it('writes the items of each flush as one record, read back as they were given', async () => {
    const first = itemsOf(0, 40)
    const second = itemsOf(40, 25)
    const path = await writeJournal([first, second])
    const lines = readFileSync(path, 'utf8').split('\n')
    expect(lines).toHaveLength(5) // header, session, two items' records, and the end of the last line
    expect(lines.slice(2, 4).every((line) => /^[0-9a-f]{8} [0-9a-f]+ \{"i":\[\[/.test(line))).toBe(true)
    const journal = readJournal(path)
    expect(journal?.header).toEqual(HEADER)
    expect(journal?.items).toEqual(byPosition([...first, ...second]))
    expect(journal?.tornTail).toBe(false)
  })

  it('reads back every item of many records flushed while earlier ones are being written', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'journal-writer-')), 'journal')
    const writer = new JournalWriter(path, 0, (error) => expect.unreachable(error.message))
    writer.append(HEADER)
    // Short results only: each record fits the items' buffer, which is taken back once written and reused.
    const batches = Array.from({ length: 80 }, (_, batch) =>
      itemsOf(batch * 1500, 1500).filter((item) => item.r !== undefined && item.r.length < 100),
    )
    for (const [index, batch] of batches.entries()) {
      for (const item of batch) writer.appendResult(item.n, item.h, item.r as string, item.by as string)
      writer.flush()
      // Now and then the event loop turns: some writes complete while others wait.
      if (index % 3 === 0) await new Promise((resolve) => setImmediate(resolve))
    }
    await writer.close()
    expect(readJournal(path)?.items).toEqual(byPosition(batches.flat()))
  }, 60_000)

  it('drops an items record torn at any byte, keeping the records before it', async () => {
    const first = itemsOf(0, 12)
    // The last record without the long result: cut at each of its bytes.
    const path = await writeJournal([first, itemsOf(12, 5)])
    const bytes = readFileSync(path)
    const lastStart = bytes.lastIndexOf(0x0a, bytes.length - 2) + 1
    for (let cut = lastStart; cut < bytes.length; cut++) {
      writeFileSync(path, bytes.subarray(0, cut))
      const journal = readJournal(path)
      expect(journal?.items).toEqual(byPosition(first))
      expect(journal?.validBytes).toBe(lastStart)
      expect(journal?.tornTail).toBe(cut > lastStart)
    }
  }, 60_000)

  it('drops a whole last items record with a byte wrong (a sector not on disk), never part of it', async () => {
    const first = itemsOf(0, 12)
    const path = await writeJournal([first, itemsOf(12, 9)])
    const bytes = readFileSync(path)
    const lastStart = bytes.lastIndexOf(0x0a, bytes.length - 2) + 1
    for (let at = lastStart + 20; at < lastStart + 400; at += 7) {
      const damaged = Buffer.from(bytes)
      damaged[at] = (damaged[at] ?? 0) ^ 0x04
      writeFileSync(path, damaged)
      const journal = readJournal(path)
      expect(journal?.items).toEqual(byPosition(first))
      expect(journal?.tornTail).toBe(true)
    }
  }, 60_000)

  it('refuses a journal with an items record damaged before valid records', async () => {
    const path = await writeJournal([itemsOf(0, 12), itemsOf(12, 9)])
    const bytes = readFileSync(path)
    const lines = bytes.toString('latin1').split('\n')
    const third = (lines[0]?.length ?? 0) + (lines[1]?.length ?? 0) + 2
    bytes[third + 30] = (bytes[third + 30] ?? 0) ^ 0x01
    writeFileSync(path, bytes)
    expect(() => readJournal(path)).toThrow(/record 3 fails its checksum, yet records follow it/)
  })
})
