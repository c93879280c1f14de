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
  /** `--null`: records end at NUL; absent for newlines. */
  readonly null?: true
  /** `--tag`: each result written after its item; absent otherwise. */
  readonly tag?: true
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

/**
 * A finished item: its position (0-based), a hash of its input, and its result or failure. On disk, the
 * items finished between two writes share one record, {@link ItemsRecord}.
 */
export interface ItemRecord {
  readonly n: number
  /** See `inputHash`. */
  readonly h: number
  /** The result line, for an item that succeeded. */
  readonly r?: string
  /** The error, for an item whose retries were spent. */
  readonly e?: SerializedError
  /** How many times the function failed on it (failed items only). */
  readonly a?: number
  /** Who computed it: a volunteer's id, 'local', or 'cache'. */
  readonly by?: string
}

/**
 * Finished items, each as a tuple `[n, h, r, by]` for a result or `[n, h, null, by, e, a]` for a failure
 * (see {@link ItemRecord}): one framed record for many items keeps the journal's cost per item low.
 */
export interface ItemsRecord {
  readonly i: readonly ItemTuple[]
}

export type ItemTuple =
  | readonly [n: number, h: number, r: string, by: string]
  | readonly [n: number, h: number, r: null, by: string, e: SerializedError, a: number]

/** The JSON text of an item's tuple; `byJson` is `by` in JSON, which the caller may keep from item to item. */
export function itemTupleJson(item: ItemRecord, byJson = JSON.stringify(item.by ?? '')): string {
  if (item.r !== undefined)
    return '[' + item.n + ',' + item.h + ',' + JSON.stringify(item.r) + ',' + byJson + ']'
  const error = JSON.stringify(item.e ?? { name: 'Error', message: '' })
  return `[${item.n},${item.h},null,${byJson},${error},${item.a ?? 1}]`
}

/** The item of a tuple read back. */
export function itemOfTuple(tuple: ItemTuple): ItemRecord {
  const [n, h, r, by] = tuple
  if (r !== null) return { n, h, r, by }
  return { n, h, by, e: tuple[4], a: tuple[5] }
}

export type JournalRecord = HeaderRecord | SessionRecord | WrittenRecord | ItemsRecord

export function isHeader(record: unknown): record is HeaderRecord {
  return typeof record === 'object' && record !== null && (record as { pando?: unknown }).pando === 'journal'
}

export function isSession(record: unknown): record is SessionRecord {
  return typeof record === 'object' && record !== null && 'session' in record
}

export function isWritten(record: unknown): record is WrittenRecord {
  return typeof record === 'object' && record !== null && typeof (record as { w?: unknown }).w === 'number'
}

export function isItems(record: unknown): record is ItemsRecord {
  return typeof record === 'object' && record !== null && Array.isArray((record as { i?: unknown }).i)
}
