import type { Readable, Writable } from 'node:stream'
import type { Settled } from '@pando/scheduler'
import pull, { type Source, type Through } from 'pull-stream'
import { WRITE_CHUNK_CHARS } from './constants.ts'
import type { ItemOrigin } from './item-label.ts'
import type { RunRecord } from './journal/run-record.ts'
import { lineSource } from './line-source.ts'
import { writeLines } from './line-sink.ts'
import type { RecordSeparator } from './record-separator.ts'
import { onShutdown } from './shutdown.ts'

/** An item whose retries are spent. */
export type FailedItem = Extract<Settled, { ok: false }>

/** How a run ended, for the exit status. */
export type RunEnding =
  /** Every item was processed and its result delivered. */
  | { readonly kind: 'done' }
  /** The function failed on an item more times than allowed; the results before it were delivered. */
  | { readonly kind: 'failed'; readonly item: FailedItem }
  /** The items could not be read (stdin failed, the pull-sync peer sent an error). */
  | { readonly kind: 'broken'; readonly error: Error }

/**
 * Where a run's items come from and where its results go: the command line or stdin, and stdout, in plain
 * lines or in the pull-sync protocol. The processing (local or networked) sits between the two.
 */
export interface ItemChannel {
  readonly origin: ItemOrigin
  /** The items, read lazily. */
  readonly items: Source<string>
  /** Delivers the settled items, in the order given, until the end or the first failed item. */
  deliver(results: Source<Settled>): Promise<RunEnding>
  /** What the run records and recalls (`--journal`, `--joblog`, `--cache`), if anything. */
  readonly record?: RunRecord
}

/** Items typed on the command line, results as lines (records ending at `separator`) on `output`. */
export function argumentChannel(
  items: readonly string[],
  output: Writable,
  separator: RecordSeparator = '\n',
): ItemChannel {
  return {
    origin: 'arguments',
    items: pull.values([...items]),
    deliver: (results) => deliverLines(results, output, separator),
  }
}

/**
 * Items read from `input` (stdin, or the `--arg-file`: `origin` says which), one per line or per record
 * ending at `separator`, results as records ending at it on `output`.
 */
export function stdinChannel(
  input: Readable,
  output: Writable,
  separator: RecordSeparator = '\n',
  origin: 'stdin' | 'file' = 'stdin',
): ItemChannel {
  return {
    origin,
    items: lineSource(input, separator),
    deliver: (results) => deliverLines(results, output, separator),
  }
}

/** `channel`, its results passing through `through` on their way to be delivered. */
export function deliveringThrough<C extends ItemChannel>(channel: C, through: Through<Settled, Settled>): C {
  return { ...channel, deliver: (results: Source<Settled>) => channel.deliver(pull(results, through)) }
}

/**
 * The results as lines, up to the first failed item: there the lines end with `failedEnd(item)` (the end, or
 * an error for a pull-sync peer) and reading stops. `ending()` tells how they ended.
 */
export function resultLines(
  results: Source<Settled>,
  failedEnd: (item: FailedItem) => true | Error = () => true,
): { readonly lines: Source<string>; ending(): RunEnding } {
  let ending: RunEnding = { kind: 'done' }
  const lines: Source<string> = (abort, cb) => {
    results(abort, (end, settled) => {
      if (end instanceof Error) ending = { kind: 'broken', error: end }
      if (end || settled === undefined) return cb(end ?? true)
      if (settled.ok) return cb(null, settled.result)
      ending = { kind: 'failed', item: settled }
      results(true, () => undefined)
      cb(failedEnd(settled))
    })
  }
  return { lines, ending: () => ending }
}

/**
 * Writes each result as a line, up to the first failed item. A shutdown (a signal, a closed output) stops
 * the writing at once, after whole lines only.
 */
async function deliverLines(
  results: Source<Settled>,
  output: Writable,
  separator: RecordSeparator,
): Promise<RunEnding> {
  const { lines, ending } = resultLines(results)
  const stop = new AbortController()
  const unregister = onShutdown(() => stop.abort())
  try {
    await writeLines(lines, output, WRITE_CHUNK_CHARS, stop.signal, separator)
  } catch {
    // The error is in ending().
  } finally {
    unregister()
  }
  return ending()
}
