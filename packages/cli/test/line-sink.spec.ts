import { PassThrough, Writable } from 'node:stream'
import pull from 'pull-stream'
import { describe, expect, it } from 'vitest'
import { writeLines } from '../src/line-sink.ts'
import { lineSource } from '../src/line-source.ts'

/** A writable that takes every chunk at once and keeps it, as text. */
function recordingOutput(): { output: Writable; chunks: string[] } {
  const chunks: string[] = []
  const output = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString())
      done()
    },
  })
  return { output, chunks }
}

describe('writeLines', () => {
  it('writes each value as a line and resolves at the end', async () => {
    const { output, chunks } = recordingOutput()
    await writeLines(pull.values(['a', '', 'c']), output)
    expect(chunks.join('')).toBe('a\n\nc\n')
  })

  it('reads nothing more while the output is full, until it drains', async () => {
    const pending: Array<() => void> = []
    const output = new Writable({
      highWaterMark: 4,
      write(_chunk, _encoding, done) {
        pending.push(done)
      },
    })
    let reads = 0
    const values = pull.values(['aaaa', 'b', 'c'])
    const done = writeLines(
      (abort, cb) => {
        reads++
        values(abort, cb)
      },
      output,
      1,
    )
    await new Promise((resolve) => setImmediate(resolve))
    expect(reads).toBe(1)
    pending.shift()?.()
    await new Promise((resolve) => setImmediate(resolve))
    expect(reads).toBeGreaterThan(1)
    while (pending.length > 0) {
      pending.shift()?.()
      await new Promise((resolve) => setImmediate(resolve))
    }
    await done
    expect(reads).toBe(4)
  })

  it('gathers the lines read at once into one write, and writes them when the source waits', async () => {
    const { output, chunks } = recordingOutput()
    const input = new PassThrough({ objectMode: true })
    const written = writeLines(pull(lineSource(input)), output)
    input.write('a\nb\nc\n')
    await new Promise((resolve) => setTimeout(resolve, 20))
    // The source now waits for more input: the three lines went out, in one write.
    expect(chunks).toEqual(['a\nb\nc\n'])
    input.end('d\n')
    await written
    expect(chunks).toEqual(['a\nb\nc\n', 'd\n'])
  })

  it('once stopped, writes nothing more: not what it gathered, not what the source gives later', async () => {
    const { output, chunks } = recordingOutput()
    const input = new PassThrough({ objectMode: true })
    const stop = new AbortController()
    let settled = false
    void writeLines(pull(lineSource(input)), output, 1_000, stop.signal).finally(() => (settled = true))
    input.write('a\nb\n')
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(chunks).toEqual(['a\nb\n'])
    input.write('c\n')
    stop.abort() // the 'c' just written is not out yet
    input.end('d\n')
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect({ chunks, settled }).toEqual({ chunks: ['a\nb\n'], settled: false })
  })

  it('rejects with the error of its source', async () => {
    await expect(writeLines(pull.error(new Error('broken')), new PassThrough())).rejects.toThrow('broken')
  })
})

describe('lineSource', () => {
  it('gives the lines of a stream as they arrive, and ends with it', async () => {
    const input = new PassThrough()
    const lines = new Promise<string[]>((resolve, reject) =>
      pull(
        lineSource(input),
        pull.collect((error, values) => (error ? reject(error) : resolve(values))),
      ),
    )
    input.write('one\r\ntw')
    input.write('o\n\nthree')
    input.end()
    expect(await lines).toEqual(['one', 'two', '', 'three'])
  })
})
