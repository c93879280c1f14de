import type { Writable } from 'node:stream'
import type { Source } from 'pull-stream'

/**
 * Writes every value of `source` as one line on `output`, with backpressure: when `output.write` returns
 * false it reads nothing more until 'drain'. Resolves when the source ends; rejects when it errors.
 */
export function writeLines(source: Source<string>, output: Writable): Promise<void> {
  return new Promise((resolve, reject) => {
    const loop = (): void => {
      let looping = true
      while (looping) {
        looping = false
        let sync = true
        source(null, (end, line) => {
          if (end) {
            if (end === true) resolve()
            else reject(end)
            return
          }
          if (!output.write(`${line}\n`)) output.once('drain', loop)
          else if (sync) looping = true
          else loop()
        })
        sync = false
      }
    }
    loop()
  })
}
