import { closeSync, fdatasync, fsyncSync, ftruncateSync, openSync, writev } from 'node:fs'
import { crc32 } from 'node:zlib'
import { frameRecord } from './record-format.ts'
import { itemTupleJson, type ItemRecord, type JournalRecord } from './journal-records.ts'

/**
 * The most time, in ms, between a record and its `fsync`: a crash of the machine loses at most the records
 * of this last fraction of a second (a crash of the process alone loses only what {@link JournalWriter.flush}
 * had not yet handed to the system).
 */
export const JOURNAL_SYNC_INTERVAL_MS = 200

/** The items' record opens and closes with these, around the tuples (see `ItemsRecord`). */
const ITEMS_OPEN = Buffer.from('{"i":[')
const ITEMS_CLOSE = Buffer.from(']}')

/**
 * Appends framed records to a journal file. Records gather in memory, the finished items in one growing
 * buffer (strings that live until the flush cost the garbage collector more than the journal's whole budget);
 * `flush(done)` writes them, the items as one record, off the main thread, and calls `done` once they reached
 * the system (the root writes to stdout only then, so a result line never reaches stdout before its record);
 * a timer writes and syncs them every {@link JOURNAL_SYNC_INTERVAL_MS}.
 */
export class JournalWriter {
  readonly #fd: number
  /** Framed records waiting, in order, with the items' record framed in its place when another comes. */
  #pending: Buffer[] = []
  /** Items gathered since the last flush: `,TUPLE,TUPLE…` in `#items[0, #itemBytes)`. */
  #items = Buffer.allocUnsafe(64 * 1024)
  #itemBytes = 0
  /** The last item's `by`, and its JSON: most items come from the same few volunteers in a row. */
  #by: string | undefined
  #byJson = '""'
  #syncing = false
  readonly #timer: NodeJS.Timeout
  /** Framed records handed to `writev`, in order, not yet written. */
  #queue: Buffer[] = []
  #writing = false
  /** Waiting for every record flushed so far to be written. */
  #waiters: (() => void)[] = []
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
    if (item.by !== this.#by) {
      this.#by = item.by
      this.#byJson = JSON.stringify(item.by ?? '')
    }
    const tuple = itemTupleJson(item, this.#byJson)
    // A UTF-16 unit takes at most 3 UTF-8 bytes; 1 for the comma.
    const most = tuple.length * 3 + 1
    if (this.#itemBytes + most > this.#items.length) {
      const bigger = Buffer.allocUnsafe(Math.max(this.#items.length * 2, this.#itemBytes + most))
      this.#items.copy(bigger, 0, 0, this.#itemBytes)
      this.#items = bigger
    }
    this.#items[this.#itemBytes++] = 0x2c // ','
    this.#itemBytes += this.#items.write(tuple, this.#itemBytes)
  }

  /** Hands the gathered records to the system (no `fsync`); `done` is called once they are written. */
  flush(done?: () => void): void {
    this.#frameItems()
    this.#queue.push(...this.#pending)
    this.#pending = []
    if (done !== undefined) this.#waiters.push(done)
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
    if (this.#queue.length === 0 || this.#failed !== undefined) {
      this.#queue = []
      for (const waiter of this.#waiters.splice(0)) waiter()
      return
    }
    this.#writing = true
    const buffers = this.#queue
    this.#queue = []
    writev(this.#fd, buffers, (error, written) => {
      this.#writing = false
      if (error) {
        this.#failed = error
        this.#onFailure(error)
      } else {
        dropBytes(buffers, written)
        this.#queue.unshift(...buffers)
      }
      this.#write()
    })
  }

  /** The items gathered so far as one framed record (`CRC LENGTH {"i":[…]}`, see record-format.ts). */
  #frameItems(): void {
    if (this.#itemBytes === 0) return
    const tuples = Buffer.from(this.#items.subarray(1, this.#itemBytes))
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
