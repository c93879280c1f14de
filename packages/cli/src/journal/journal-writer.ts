import { closeSync, fdatasync, fsyncSync, ftruncateSync, openSync, writeSync } from 'node:fs'
import { frameRecord } from './record-format.ts'
import type { JournalRecord } from './journal-records.ts'

/**
 * The most time, in ms, between a record and its `fsync`: a crash of the machine loses at most the records
 * of this last fraction of a second (a crash of the process alone loses only what {@link JournalWriter.flush}
 * had not yet handed to the system).
 */
export const JOURNAL_SYNC_INTERVAL_MS = 200

/**
 * Appends framed records to a journal file. Records gather in memory; `flush()` writes them (the root calls
 * it before each write to stdout, so a result line never reaches stdout before its record reaches the
 * system), and a timer writes and syncs them every {@link JOURNAL_SYNC_INTERVAL_MS}.
 */
export class JournalWriter {
  readonly #fd: number
  #pending = ''
  #syncing = false
  readonly #timer: NodeJS.Timeout

  /** Opens `path` for appending, cut to its first `validBytes` (a torn last record goes). */
  constructor(path: string, validBytes: number) {
    this.#fd = openSync(path, 'a')
    ftruncateSync(this.#fd, validBytes)
    this.#timer = setInterval(() => this.#sync(), JOURNAL_SYNC_INTERVAL_MS)
    this.#timer.unref()
  }

  append(record: JournalRecord): void {
    this.#pending += frameRecord(record)
  }

  /** Hands the gathered records to the system (no `fsync`). */
  flush(): void {
    if (this.#pending === '') return
    const bytes = Buffer.from(this.#pending)
    this.#pending = ''
    let written = 0
    while (written < bytes.length) written += writeSync(this.#fd, bytes, written)
  }

  /** Writes and syncs what is left, and closes the file. */
  close(): void {
    clearInterval(this.#timer)
    this.flush()
    fsyncSync(this.#fd)
    closeSync(this.#fd)
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
