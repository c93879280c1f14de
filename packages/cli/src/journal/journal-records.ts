import type { SerializedError } from '@pando/protocol'

/** The version of the journal's records; a journal of another version is refused. */
export const JOURNAL_VERSION = 1

/** What the module run was, so that a journal is resumed only by the same module. */
export interface ModuleIdentity {
  /** SHA-256 of what ran, in hex. */
  readonly sha256: string
  /** What was hashed: the bundle the volunteers ran, or (`--local`, no bundle) the module's source file. */
  readonly of: 'bundle' | 'source'
}

/** The options that change what a run writes: a resume must use the same. */
export interface ResultOptions {
  readonly onError: 'abort' | 'skip' | 'mark'
  readonly errorMarker: string
}

/** The journal's first record. */
export interface HeaderRecord {
  readonly pando: 'journal'
  readonly version: number
  readonly module: ModuleIdentity
  readonly options: ResultOptions
}

/**
 * A run (the first, or a resume) starts writing: `output` bytes of the run's output were already written
 * before it, and standard output, when a regular file (inode `ino`), held `file` bytes (else null).
 */
export interface SessionRecord {
  readonly session: {
    readonly at: number
    readonly output: number
    readonly file: number | null
    readonly ino?: number
  }
}

/** The session has written `w` bytes to standard output so far (each write, once it completed). */
export interface WrittenRecord {
  readonly w: number
}

/** A finished item: its position (0-based), a hash of its input, and its result or failure. */
export interface ItemRecord {
  readonly n: number
  /** See `inputHash`. */
  readonly h: string
  /** The result line, for an item that succeeded. */
  readonly r?: string
  /** The error, for an item whose retries were spent. */
  readonly e?: SerializedError
  /** How many times the function failed on it (failed items only). */
  readonly a?: number
  /** Who computed it: a volunteer's id, 'local', or 'cache'. */
  readonly by?: string
}

export type JournalRecord = HeaderRecord | SessionRecord | WrittenRecord | ItemRecord

export function isHeader(record: unknown): record is HeaderRecord {
  return typeof record === 'object' && record !== null && (record as { pando?: unknown }).pando === 'journal'
}

export function isSession(record: unknown): record is SessionRecord {
  return typeof record === 'object' && record !== null && 'session' in record
}

export function isWritten(record: unknown): record is WrittenRecord {
  return typeof record === 'object' && record !== null && typeof (record as { w?: unknown }).w === 'number'
}

export function isItem(record: unknown): record is ItemRecord {
  return typeof record === 'object' && record !== null && typeof (record as { n?: unknown }).n === 'number'
}
