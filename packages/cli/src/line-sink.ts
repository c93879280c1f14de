import type { Writable } from 'node:stream'
import type { Source } from 'pull-stream'
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
    let gathered = ''
    let ended = false
    let flushLater: NodeJS.Immediate | undefined
    /** The output said it is full (`write` returned false) and has not drained since. */
    let full = false
    /** The loop waits for the output to drain before it reads on. */
    let parked = false
    const drained = (): void => {
      full = false
      if (!parked) return
      parked = false
      loop()
    }
    const flush = (): void => {
      clearImmediate(flushLater)
      flushLater = undefined
      if (gathered === '' || stop?.aborted === true) return
      if (!output.write(gathered) && !full) {
        full = true
        output.once('drain', drained)
      }
      gathered = ''
    }
    const loop = (): void => {
      for (;;) {
        if (full) {
          parked = true
          return
        }
        let answered = false
        let sync = true
        source(null, (end, line) => {
          answered = true
          if (stop?.aborted === true) return
          if (end) {
            ended = true
            flush()
            if (end === true) resolve()
            else reject(end)
            return
          }
          gathered += `${line}${terminator}`
          if (gathered.length >= chunkChars) flush()
          if (!sync) loop()
        })
        sync = false
        if (ended) return
        if (!answered) {
          // The source waits (for a volunteer, for stdin): what is gathered goes out once the event loop
          // turns, with whatever else settles in the meantime.
          if (gathered !== '') flushLater ??= setImmediate(flush)
          return
        }
      }
    }
    stop?.addEventListener('abort', () => {
      ended = true
      clearImmediate(flushLater)
      output.removeListener('drain', drained)
    })
    loop()
  })
}
