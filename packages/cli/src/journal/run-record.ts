import { statSync } from 'node:fs'
import { finished } from 'node:stream/promises'
import type { Writable } from 'node:stream'
import type { Job } from '@pando/protocol'
import type { Settled } from '@pando/scheduler'
import type { Source } from 'pull-stream'
import { UsageError } from '../errors.ts'
import { printMessage, printNotice } from '../exit.ts'
import { itemPosition, type ItemOrigin } from '../item-label.ts'
import { onShutdown } from '../shutdown.ts'
import { inputHash } from './input-hash.ts'
import { Joblog } from './joblog.ts'
import { JOURNAL_VERSION, type ModuleIdentity, type ResultOptions } from './journal-records.ts'
import { JournalWriter } from './journal-writer.ts'
import { outputAlreadyWritten, outputFile, recordingOutput } from './output-position.ts'
import { checkJournalFits, readJournal, type JournalContents } from './read-journal.ts'
import { recallOutcomes, recordOutcomes, type OutcomeOrigin, type Recalled } from './recall.ts'
import type { RecordOptions } from './record-options.ts'
import { ResultCache } from './result-cache.ts'

/** What a run records, and what it takes from earlier runs: its journal, job log and result cache. */
export interface RunRecord {
  /**
   * The module is known (bundled, or its source read): checks the journal fits it, opens what is recorded
   * and starts a session of the journal.
   * @throws {UsageError} for a journal of another module or other options
   */
  begin(module: ModuleIdentity): void
  /** Standard output as the run must write it (see `recordingOutput`). */
  output(stdout: Writable): Writable
  /**
   * Between the items and the lender: the items whose outcome is known (journal, cache) skip it, and are
   * put back among its results in input order. The outcomes are recorded as they are emitted.
   */
  lend(jobs: Source<Job>): { fresh: Source<Job>; merge(results: Source<Settled>): Source<Settled> }
  /** The run is over: the output is flushed, the journal synced and closed, the cache trimmed. */
  finish(): Promise<void>
}

/**
 * Opens the run's record: reads an existing journal (a resume), refuses one that is not a journal, is
 * corrupt, or exists without `--resume`.
 * @throws {UsageError} saying why the journal cannot be used
 */
export function openRunRecord(
  options: RecordOptions,
  results: ResultOptions,
  origin: ItemOrigin,
  stdoutFd = 1,
): RunRecord {
  const path = options.journal
  if (path !== undefined && options.resume === 'no' && isNonEmptyFile(path)) {
    throw new UsageError(
      `the journal ${path} already exists: add --resume to go on with its run, or remove it (or give ` +
        'another file) to start afresh',
    )
  }
  const earlier = path === undefined ? undefined : readJournal(path)
  return new Recorder(options, results, origin, stdoutFd, earlier)
}

/**
 * Opens a file the run records in.
 * @throws {UsageError} when it cannot (no such directory, no permission)
 */
function opening<T>(what: string, path: string, open: () => T): T {
  try {
    return open()
  } catch (error) {
    throw new UsageError(`cannot open ${what} ${path}: ${(error as Error).message}`)
  }
}

function isNonEmptyFile(path: string): boolean {
  try {
    return statSync(path).size > 0
  } catch {
    return false
  }
}

class Recorder implements RunRecord {
  readonly #options: RecordOptions
  readonly #results: ResultOptions
  readonly #origin: ItemOrigin
  readonly #stdoutFd: number
  readonly #earlier: JournalContents | undefined
  #journal: JournalWriter | undefined
  #joblog: Joblog | undefined
  #cache: ResultCache | undefined
  /** Bytes of the run's output that earlier sessions wrote: this one does not write them again. */
  #alreadyWritten = 0
  /** When each item being computed was handed to the lender (for the job log). */
  readonly #startedAt = new Map<number, number>()
  #output: Writable | undefined
  #unregister: () => void = () => undefined
  #closed = false

  constructor(
    options: RecordOptions,
    results: ResultOptions,
    origin: ItemOrigin,
    stdoutFd: number,
    earlier: JournalContents | undefined,
  ) {
    this.#options = options
    this.#results = results
    this.#origin = origin
    this.#stdoutFd = stdoutFd
    this.#earlier = earlier
  }

  begin(module: ModuleIdentity): void {
    const path = this.#options.journal
    if (path !== undefined) {
      const earlier = this.#earlier
      if (earlier !== undefined) checkJournalFits(path, earlier.header, module, this.#results)
      const file = outputFile(this.#stdoutFd)
      this.#alreadyWritten = earlier === undefined ? 0 : outputAlreadyWritten(earlier, file, path)
      if (earlier?.tornTail === true) {
        printNotice(`the journal ${path} ended with a torn record (written as the run stopped): dropped`)
      }
      this.#journal = opening(
        'the journal',
        path,
        () =>
          new JournalWriter(path, earlier?.validBytes ?? 0, (error) =>
            printMessage(`cannot write the journal ${path}: ${error.message}; the run goes on without it`),
          ),
      )
      if (earlier === undefined) {
        this.#journal.append({ pando: 'journal', version: JOURNAL_VERSION, module, options: this.#results })
      }
      this.#journal.append({
        session: {
          at: Date.now(),
          output: this.#alreadyWritten,
          file: file?.size ?? null,
          ...(file === null ? {} : { ino: file.ino }),
        },
      })
      this.#journal.flush()
    }
    if (this.#options.joblog !== undefined) {
      const joblog = this.#options.joblog
      this.#joblog = opening('the job log', joblog, () => new Joblog(joblog, this.#options.resume !== 'no'))
    }
    if (this.#options.cache !== undefined) {
      const cache = this.#options.cache
      this.#cache = opening(
        'the cache directory',
        cache,
        () => new ResultCache(cache, module, this.#options.cacheMaxBytes),
      )
    }
    // A signal stops the run at once: what was recorded reaches the disk first.
    this.#unregister = onShutdown(() => this.#close())
  }

  output(stdout: Writable): Writable {
    if (this.#options.journal === undefined) return stdout
    this.#output = recordingOutput(stdout, () => this.#alreadyWritten, {
      beforeWrite: (then) => (this.#journal === undefined ? then() : this.#journal.flush(then)),
      onWritten: (bytes) => this.#journal?.append({ w: bytes }),
    })
    return this.#output
  }

  lend(jobs: Source<Job>): { fresh: Source<Job>; merge(results: Source<Settled>): Source<Settled> } {
    // The job log takes each item's start from the recall.
    const recallsNothing =
      (this.#earlier?.items.size ?? 0) === 0 && this.#cache === undefined && this.#joblog === undefined
    if (recallsNothing) return recordOutcomes(jobs, (settled, origin) => this.#record(settled, origin))
    return recallOutcomes(
      jobs,
      (job) => this.#recall(job),
      (settled, origin) => this.#record(settled, origin),
    )
  }

  async finish(): Promise<void> {
    const output = this.#output
    if (output !== undefined && !output.destroyed) {
      output.end()
      await finished(output).catch(() => undefined)
    }
    this.#unregister()
    await this.#close()
    this.#cache?.evict()
  }

  #recall(job: Job): Recalled | Error | undefined {
    const known = this.#earlier?.items.get(job.id)
    if (known !== undefined) {
      if (known.h !== inputHash(job.value)) {
        return new UsageError(
          `${itemPosition(this.#origin, job.id)} is not the one the journal ${this.#options.journal ?? ''} ` +
            'recorded there: resume with the same input, or give another journal',
        )
      }
      const by = known.by ?? 'journal'
      if (known.r !== undefined) {
        return { origin: 'journal', settled: { id: job.id, value: job.value, ok: true, result: known.r, by } }
      }
      if (this.#options.resume !== 'failed' && known.e !== undefined) {
        return {
          origin: 'journal',
          settled: { id: job.id, value: job.value, ok: false, error: known.e, attempts: known.a ?? 1, by },
        }
      }
    }
    const cached = this.#cache?.get(job.value)
    if (cached !== undefined) {
      return {
        origin: 'cache',
        settled: { id: job.id, value: job.value, ok: true, result: cached, by: 'cache' },
      }
    }
    if (this.#joblog !== undefined) this.#startedAt.set(job.id, Date.now())
    return undefined
  }

  #record(settled: Settled, origin: OutcomeOrigin): void {
    if (origin === 'journal') return
    const by = origin === 'cache' ? 'cache' : (settled.by ?? 'unknown')
    if (settled.ok) this.#journal?.appendResult(settled.id, inputHash(settled.value), settled.result, by)
    else {
      this.#journal?.appendItem({
        n: settled.id,
        h: inputHash(settled.value),
        e: { name: settled.error.name, message: settled.error.message },
        a: settled.attempts,
        by,
      })
    }
    if (origin === 'computed' && settled.ok) this.#cache?.set(settled.value, settled.result)
    if (this.#joblog !== undefined) {
      const now = Date.now()
      const startedAt = this.#startedAt.get(settled.id) ?? now
      this.#startedAt.delete(settled.id)
      this.#joblog.add({ settled, host: by, startedAt, endedAt: now })
    }
  }

  async #close(): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    this.#joblog?.close()
    await this.#journal?.close()
  }
}
