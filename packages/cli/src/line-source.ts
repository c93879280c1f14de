import type { Readable } from 'node:stream'
import type { Source } from 'pull-stream'
import { LineSplitter } from './line-splitter.ts'

/**
 * The lines of a readable stream (see {@link LineSplitter}; records ending at `separator` with `--null`) as
 * a pull-stream source. It reads a chunk only
 * when the lines already read are used up, so a slow consumer holds back the producer (backpressure).
 * Aborting it destroys the stream.
 */
export function lineSource(input: Readable, separator = '\n'): Source<string> {
  input.setEncoding('utf8')
  const chunks = input[Symbol.asyncIterator]() as AsyncIterator<string>
  const splitter = new LineSplitter(separator)
  let lines: string[] = []
  let next = 0
  let ended = false
  return function read(abort, cb) {
    if (abort) {
      ended = true
      void chunks.return?.().catch(() => undefined)
      cb(abort)
      return
    }
    if (next < lines.length) {
      cb(null, lines[next++])
      return
    }
    if (ended) {
      cb(true)
      return
    }
    chunks.next().then(
      (chunk) => {
        lines = chunk.done === true ? splitter.end() : splitter.push(chunk.value)
        next = 0
        if (chunk.done === true) ended = true
        read(null, cb)
      },
      (error: unknown) => {
        ended = true
        cb(error instanceof Error ? error : new Error(String(error)))
      },
    )
  }
}
