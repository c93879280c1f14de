import type { Writable } from 'node:stream'
import type { EndOrError, Source } from 'pull-stream'
import { WRITE_CHUNK_CHARS } from './constants.ts'

/**
 * Writes every value of `source` as one line on `output` (a record ended by `terminator`: NUL with
 * `--null`). Lines are gathered into one write of up to `chunkChars`; whatever is gathered when the source
 * has to wait is written at the next turn of the event loop, so no line waits for a later one. Backpressure: once `output.write` returns false, nothing more is
 * read until 'drain'. Resolves when the source ends (its lines written); rejects when it errors.
 *
 * Once `stop` aborts (the process is ending), nothing more is written: only whole lines were handed to
 * `output`, and what was gathered but not handed is dropped. The promise then never settles.
 */
export function writeLines(
  source: Source<string>,
  output: Writable,
  chunkChars = WRITE_CHUNK_CHARS,
  stop?: AbortSignal,
  terminator = '\n',
): Promise<void> {
  return new Promise((resolve, reject) => {
    const writer = new LineWriter(source, output, { chunkChars, terminator, resolve, reject }, stop)
    stop?.addEventListener('abort', () => writer.abort())
    writer.loop()
  })
}

/** How a {@link LineWriter} ends its lines and its chunks, and whom it tells of the source's end. */
interface LineWriterSettings {
  readonly chunkChars: number
  readonly terminator: string
  readonly resolve: () => void
  readonly reject: (error: unknown) => void
}

/** The reading loop of {@link writeLines}: reads lines, gathers them, writes chunks, waits for 'drain'. */
class LineWriter {
  #gathered = ''
  #ended = false
  #flushLater: NodeJS.Immediate | undefined
  /** The output said it is full (`write` returned false) and has not drained since. */
  #full = false
  /** The loop waits for the output to drain before it reads on. */
  #parked = false

  readonly #source: Source<string>
  readonly #output: Writable
  readonly #settings: LineWriterSettings
  readonly #stop: AbortSignal | undefined

  constructor(
    source: Source<string>,
    output: Writable,
    settings: LineWriterSettings,
    stop: AbortSignal | undefined,
  ) {
    this.#source = source
    this.#output = output
    this.#settings = settings
    this.#stop = stop
  }

  /** Reads as long as the source answers at once and the output has room. */
  loop(): void {
    for (;;) {
      if (this.#full) {
        this.#parked = true
        return
      }
      let answered = false
      let sync = true
      this.#source(null, (end, line) => {
        answered = true
        this.#take(end, line, sync)
      })
      sync = false
      if (this.#ended) return
      if (!answered) {
        // The source waits (for a volunteer, for stdin): what is gathered goes out once the event loop
        // turns, with whatever else settles in the meantime.
        if (this.#gathered !== '') this.#flushLater ??= setImmediate(this.#flush)
        return
      }
    }
  }

  /** Nothing more is written (the process is ending). */
  abort(): void {
    this.#ended = true
    clearImmediate(this.#flushLater)
    this.#output.removeListener('drain', this.#drained)
  }

  /** One answer of the source: a line gathered, or the end (the rest written first). */
  #take(end: EndOrError, line: string | undefined, sync: boolean): void {
    if (this.#stop?.aborted === true) return
    if (end) {
      this.#ended = true
      this.#flush()
      if (end === true) this.#settings.resolve()
      else this.#settings.reject(end)
      return
    }
    this.#gathered += `${line}${this.#settings.terminator}`
    if (this.#gathered.length >= this.#settings.chunkChars) this.#flush()
    if (!sync) this.loop()
  }

  readonly #flush = (): void => {
    clearImmediate(this.#flushLater)
    this.#flushLater = undefined
    if (this.#gathered === '' || this.#stop?.aborted === true) return
    if (!this.#output.write(this.#gathered) && !this.#full) {
      this.#full = true
      this.#output.once('drain', this.#drained)
    }
    this.#gathered = ''
  }

  readonly #drained = (): void => {
    this.#full = false
    if (!this.#parked) return
    this.#parked = false
    this.loop()
  }
}
