import { closeSync, fdatasync, fsyncSync, ftruncateSync, openSync, writev } from 'node:fs'
import { crc32 } from 'node:zlib'
import { frameRecord } from './record-format.ts'
import { itemTupleJson, type ItemRecord, type JournalRecord } from './journal-records.ts'
import { resultTupleBound, writeResultTuple } from './tuple-bytes.ts'
import { JOURNAL_SYNC_INTERVAL_MS, ITEMS_BUFFER_BYTES, SPARE_ITEM_BUFFERS } from '../constants.ts'

/** The items' record opens and closes with these, around the tuples (see `ItemsRecord`). */
const ITEMS_OPEN = Buffer.from('{"i":[')
const ITEMS_CLOSE = Buffer.from(']}')

/**
 * Appends framed records to a journal file. Records gather in memory, the finished items written straight
 * into one growing buffer (strings that live until the flush cost the garbage collector more than the
 * journal's whole budget); `flush(done)` writes them, the items as one record, off the main thread, and calls
 * `done` once they reached the system (the root writes to stdout only then, so a result line never reaches
 * stdout before its record; a write of the main thread could wait for the disk behind the `fsync`); a timer
 * writes and syncs them every {@link JOURNAL_SYNC_INTERVAL_MS}.
 */
export class JournalWriter {
  readonly #fd: number
  /** Framed records waiting, in order, with the items' record framed in its place when another comes. */
  #pending: Buffer[] = []
  /** Items gathered since the last flush: `,TUPLE,TUPLE…` in `#items[0, #itemBytes)`. */
  #items: Buffer = Buffer.allocUnsafe(ITEMS_BUFFER_BYTES)
  #itemBytes = 0
  /**
   * The items' buffers framed into records, from the oldest: not yet flushed (`upTo` undefined), or flushed
   * and in use until the bytes flushed `upTo` are written; then they are used again (a fresh buffer for each
   * record cost more than the rest of its writing, in allocation and page faults).
   */
  #itemBuffersInUse: { upTo: number | undefined; readonly buffer: Buffer }[] = []
  #spareItemBuffers: Buffer[] = []
  /** The last result's `by`, and its JSON: most items come from the same few volunteers in a row. */
  #by: string | undefined
  #byJson = Buffer.from('""')
  #syncing = false
  readonly #timer: NodeJS.Timeout
  /** Framed records handed to `writev`, in order, not yet written. */
  #queue: Buffer[] = []
  #writing = false
  /** Bytes ever flushed (queued), and ever written: what a waiter waits for, and how far the file is. */
  #queuedBytes = 0
  #writtenBytes = 0
  /**
   * Waiting, in order, for the records flushed before them to be written (`upTo` of the flushed bytes): each
   * is released as soon as its own records are, not once the queue empties.
   */
  #waiters: { readonly upTo: number; readonly done: () => void }[] = []
  /** What made a write fail: the journal is given up, the run goes on. */
  #failed: Error | undefined
  readonly #onFailure: (error: Error) => void

  /** Opens `path` for appending, cut to its first `validBytes` (a torn last record goes). */
  constructor(path: string, validBytes: number, onFailure: (error: Error) => void) {
    this.#onFailure = onFailure
    this.#fd = openSync(path, 'a')
    ftruncateSync(this.#fd, validBytes)
    this.#timer = setInterval(() => this.#sync(), JOURNAL_SYNC_INTERVAL_MS)
    this.#timer.unref()
  }

  append(record: JournalRecord): void {
    this.#frameItems()
    this.#pending.push(Buffer.from(frameRecord(record)))
  }

  /** Appends a finished item; the items gathered between two flushes go in one record. */
  appendItem(item: ItemRecord): void {
    if (item.r !== undefined && item.by !== undefined) {
      this.appendResult(item.n, item.h, item.r, item.by)
      return
    }
    const tuple = itemTupleJson(item, JSON.stringify(item.by ?? ''))
    // A UTF-16 unit takes at most 3 UTF-8 bytes; 1 for the comma.
    this.#makeRoom(tuple.length * 3 + 1)
    this.#items[this.#itemBytes++] = 0x2c // ','
    this.#itemBytes += this.#items.write(tuple, this.#itemBytes)
  }

  /**
   * Appends an item that succeeded (see `ItemRecord`), as {@link appendItem} does, with no object or string
   * made for it: the journal's cost on the main loop for each item.
   */
  appendResult(n: number, h: number, r: string, by: string): void {
    if (by !== this.#by) {
      this.#by = by
      this.#byJson = Buffer.from(JSON.stringify(by))
    }
    this.#makeRoom(resultTupleBound(r.length, this.#byJson.length))
    this.#itemBytes = writeResultTuple(this.#items, this.#itemBytes, n, h, r, this.#byJson)
  }

  /** Grows the items' buffer, when needed, so that `bytes` more fit. */
  #makeRoom(bytes: number): void {
    if (this.#itemBytes + bytes <= this.#items.length) return
    const bigger = Buffer.allocUnsafe(Math.max(this.#items.length * 2, this.#itemBytes + bytes))
    this.#items.copy(bigger, 0, 0, this.#itemBytes)
    this.#items = bigger
  }

  /** Hands the gathered records to the system (no `fsync`); `done` is called once they are written. */
  flush(done?: () => void): void {
    this.#frameItems()
    for (const buffer of this.#pending) {
      this.#queue.push(buffer)
      this.#queuedBytes += buffer.length
    }
    this.#pending = []
    for (let i = this.#itemBuffersInUse.length - 1; i >= 0; i--) {
      const inUse = this.#itemBuffersInUse[i] as { upTo: number | undefined }
      if (inUse.upTo !== undefined) break
      inUse.upTo = this.#queuedBytes
    }
    if (done !== undefined) this.#waiters.push({ upTo: this.#queuedBytes, done })
    this.#write()
  }

  /** Writes and syncs what is left, and closes the file. */
  async close(): Promise<void> {
    clearInterval(this.#timer)
    await new Promise<void>((resolve) => this.flush(resolve))
    try {
      fsyncSync(this.#fd)
    } finally {
      closeSync(this.#fd)
    }
  }

  #write(): void {
    if (this.#writing) return
    if (this.#failed !== undefined) this.#queue = []
    this.#release()
    if (this.#queue.length === 0) return
    this.#writing = true
    const buffers = this.#queue
    this.#queue = []
    writev(this.#fd, buffers, (error, written) => {
      this.#writing = false
      if (error) {
        this.#failed = error
        this.#onFailure(error)
      } else {
        this.#writtenBytes += written
        dropBytes(buffers, written)
        this.#queue.unshift(...buffers)
      }
      this.#write()
    })
  }

  /**
   * Calls the waiters whose records are written, and takes back the item buffers written (all of them once
   * the journal is given up).
   */
  #release(): void {
    let released = 0
    while (released < this.#waiters.length) {
      const waiter = this.#waiters[released] as { readonly upTo: number }
      if (this.#failed === undefined && waiter.upTo > this.#writtenBytes) break
      released++
    }
    for (const { done } of this.#waiters.splice(0, released)) done()
    let written = 0
    for (const { upTo, buffer } of this.#itemBuffersInUse) {
      if (upTo === undefined || (this.#failed === undefined && upTo > this.#writtenBytes)) break
      written++
      if (this.#spareItemBuffers.length < SPARE_ITEM_BUFFERS && buffer.length === ITEMS_BUFFER_BYTES) {
        this.#spareItemBuffers.push(buffer)
      }
    }
    this.#itemBuffersInUse.splice(0, written)
  }

  /** The items gathered so far as one framed record (`CRC LENGTH {"i":[…]}`, see record-format.ts). */
  #frameItems(): void {
    if (this.#itemBytes === 0) return
    const tuples = this.#items.subarray(1, this.#itemBytes)
    this.#itemBuffersInUse.push({ upTo: undefined, buffer: this.#items })
    this.#items = this.#spareItemBuffers.pop() ?? Buffer.allocUnsafe(ITEMS_BUFFER_BYTES)
    this.#itemBytes = 0
    const crc = crc32(ITEMS_CLOSE, crc32(tuples, crc32(ITEMS_OPEN)))
    const length = ITEMS_OPEN.length + tuples.length + ITEMS_CLOSE.length
    const head = `${crc.toString(16).padStart(8, '0')} ${length.toString(16)} `
    this.#pending.push(Buffer.from(head), ITEMS_OPEN, tuples, ITEMS_CLOSE, NEWLINE)
  }

  #sync(): void {
    this.flush()
    if (this.#syncing) return
    this.#syncing = true
    fdatasync(this.#fd, () => {
      this.#syncing = false
    })
  }
}

const NEWLINE = Buffer.from('\n')

/** Drops the first `count` bytes of `buffers` (a short write), in place. */
function dropBytes(buffers: Buffer[], count: number): void {
  let left = count
  while (left > 0 && buffers.length > 0) {
    const first = buffers[0] as Buffer
    if (first.length <= left) {
      left -= first.length
      buffers.shift()
    } else {
      buffers[0] = first.subarray(left)
      left = 0
    }
  }
}
