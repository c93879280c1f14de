import { closeSync, existsSync, openSync, writeSync } from 'node:fs'
import type { Settled } from '@pando/scheduler'

/** The header line GNU parallel writes at the top of a `--joblog`. */
export const JOBLOG_HEADER = 'Seq\tHost\tStarttime\tJobRuntime\tSend\tReceive\tExitval\tSignal\tCommand\n'

/** One line of the job log, in GNU parallel's columns. */
export interface JoblogEntry {
  readonly settled: Settled
  /** Who computed it (a volunteer's id, 'local', 'cache'). */
  readonly host: string
  /** When the root handed the item to be computed, in ms since the epoch. */
  readonly startedAt: number
  /** When its outcome was emitted, in ms since the epoch. */
  readonly endedAt: number
}

/** A job log line: Seq is the item's 1-based position, Command the item, Exitval 1 for a failed item. */
export function joblogLine({ settled, host, startedAt, endedAt }: JoblogEntry): string {
  const received = settled.ok ? Buffer.byteLength(settled.result) + 1 : 0
  return (
    [
      settled.id + 1,
      host,
      (startedAt / 1000).toFixed(3).padStart(14),
      ((endedAt - startedAt) / 1000).toFixed(3).padStart(10),
      Buffer.byteLength(settled.value) + 1,
      received,
      settled.ok ? 0 : 1,
      0,
      settled.value,
    ].join('\t') + '\n'
  )
}

/**
 * `--joblog FILE`: a line per finished item, as GNU parallel writes it, so its analysis scripts work. A
 * new log starts with the header; a resume appends to the log that exists.
 */
export class Joblog {
  readonly #fd: number
  #pending = ''

  constructor(path: string, append: boolean) {
    const exists = append && existsSync(path)
    this.#fd = openSync(path, exists ? 'a' : 'w')
    if (!exists) this.#pending = JOBLOG_HEADER
  }

  add(entry: JoblogEntry): void {
    this.#pending += joblogLine(entry)
    if (this.#pending.length >= 64 * 1024) this.flush()
  }

  flush(): void {
    if (this.#pending === '') return
    writeSync(this.#fd, this.#pending)
    this.#pending = ''
  }

  close(): void {
    this.flush()
    closeSync(this.#fd)
  }
}
