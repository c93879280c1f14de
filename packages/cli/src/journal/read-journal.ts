import { readFileSync } from 'node:fs'
import { UsageError } from '../errors.ts'
import { parseRecords } from './record-format.ts'
import {
  JOURNAL_VERSION,
  isHeader,
  isItems,
  itemOfTuple,
  isSession,
  isWritten,
  type HeaderRecord,
  type ItemRecord,
  type ModuleIdentity,
  type ResultOptions,
  type SessionRecord,
} from './journal-records.ts'

/** What an earlier run left in its journal. */
export interface JournalContents {
  readonly header: HeaderRecord
  /** The finished items, by position. */
  readonly items: ReadonlyMap<number, ItemRecord>
  /** The last session (run or resume) that started writing. */
  readonly lastSession: SessionRecord['session'] | undefined
  /** Bytes the last session wrote to standard output, as far as the journal knows. */
  readonly lastWritten: number
  /** Bytes of the valid records: the rest (a torn record) is cut off before appending. */
  readonly validBytes: number
  readonly tornTail: boolean
}

/**
 * Reads the journal at `path`: undefined when there is none (or it is empty).
 * @throws {UsageError} when the file is not a pando journal, or corrupt before its last record
 */
export function readJournal(path: string): JournalContents | undefined {
  let bytes: Buffer
  try {
    bytes = readFileSync(path)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw new UsageError(`cannot read the journal ${path}: ${(error as Error).message}`)
  }
  if (bytes.length === 0) return undefined
  const parsed = parseRecords(bytes)
  const [header, ...rest] = parsed.records
  if (!isHeader(header)) {
    throw new UsageError(
      `${path} is not a pando journal (it does not start with a journal header): give the journal of the ` +
        'run to resume, or a new file',
    )
  }
  if (parsed.corruptRecord !== undefined) {
    throw new UsageError(
      `the journal ${path} is corrupt: record ${parsed.corruptRecord} fails its checksum, yet records follow ` +
        'it: it cannot be resumed; start afresh with a new journal',
    )
  }
  if (header.version !== JOURNAL_VERSION) {
    throw new UsageError(
      `the journal ${path} has version ${String(header.version)}, this pando writes version ` +
        `${JOURNAL_VERSION}: resume it with the pando that wrote it`,
    )
  }
  const items = new Map<number, ItemRecord>()
  let lastSession: SessionRecord['session'] | undefined
  let lastWritten = 0
  for (const record of rest) {
    if (isItems(record)) {
      for (const tuple of record.i) items.set(tuple[0], itemOfTuple(tuple))
    } else if (isWritten(record)) lastWritten = record.w
    else if (isSession(record)) {
      lastSession = record.session
      lastWritten = 0
    }
  }
  return { header, items, lastSession, lastWritten, validBytes: parsed.validBytes, tornTail: parsed.tornTail }
}

/**
 * Refuses a journal written for another module or with other result-changing options.
 * @throws {UsageError} saying what differs
 */
export function checkJournalFits(
  path: string,
  header: HeaderRecord,
  module: ModuleIdentity,
  options: ResultOptions,
): void {
  const recorded = header.module
  if (recorded.sha256 !== module.sha256 || recorded.of !== module.of) {
    throw new UsageError(
      `the journal ${path} records a run of another module (the ${recorded.of} with SHA-256 ` +
        `${recorded.sha256.slice(0, 12)}…, this one is the ${module.of} with ${module.sha256.slice(0, 12)}…): ` +
        'resume with the same module and the same --local, or give another journal',
    )
  }
  for (const [name, flag] of [
    ['onError', '--on-error'],
    ['errorMarker', '--error-marker'],
  ] as const) {
    if (header.options[name] !== options[name]) {
      throw new UsageError(
        `the journal ${path} records a run with ${flag} ${JSON.stringify(header.options[name])}, not ` +
          `${JSON.stringify(options[name])}: resume with the same options, or give another journal`,
      )
    }
  }
  for (const [name, flag] of [
    ['null', '--null'],
    ['tag', '--tag'],
  ] as const) {
    if (header.options[name] !== options[name]) {
      throw new UsageError(
        `the journal ${path} records a run ${header.options[name] === true ? 'with' : 'without'} ${flag}: ` +
          `resume ${header.options[name] === true ? 'with' : 'without'} it too, or give another journal`,
      )
    }
  }
}
