import { fstatSync } from 'node:fs'
import { Writable } from 'node:stream'
import { UsageError } from '../errors.ts'
import type { JournalContents } from './read-journal.ts'
import { JOURNALED_OUTPUT_BUFFER_BYTES } from '../constants.ts'

/** The regular file on a file descriptor (stdout). */
export interface OutputFile {
  readonly size: number
  /** Its inode number, to tell the same file from another. */
  readonly ino: number
}

/** The regular file on file descriptor `fd` (stdout), or null when it is a pipe, a TTY… */
export function outputFile(fd: number): OutputFile | null {
  try {
    const stat = fstatSync(fd)
    return stat.isFile() ? { size: stat.size, ino: stat.ino } : null
  } catch {
    return null
  }
}

/**
 * How many bytes of the run's output the earlier sessions put on standard output. When the last session
 * wrote to a regular file and stdout is a regular file again (`>> out`), the file's growth since that
 * session started says it exactly, whatever the crash cut. Otherwise (a pipe, then or now, or another
 * file) it is what the journal recorded after each completed write: the last write before a crash may be
 * written again.
 * @throws {UsageError} when stdout is the same file as then, but smaller than when the last session started
 */
export function outputAlreadyWritten(
  journal: JournalContents,
  file: OutputFile | null,
  path: string,
): number {
  const session = journal.lastSession
  if (session === undefined) return 0
  if (session.file === null || file === null || session.ino !== file.ino) {
    return session.output + journal.lastWritten
  }
  if (file.size < session.file) {
    throw new UsageError(
      `standard output is the file the run of the journal ${path} wrote to, but it has ${file.size} bytes, ` +
        `fewer than the ${session.file} it had when that run started writing: resume by appending to it ` +
        '(>> FILE), or write to another file',
    )
  }
  return session.output + (file.size - session.file)
}

/**
 * The run's standard output, seen through its journal: the first `skip()` bytes (written by an earlier
 * session; asked at the first write) are dropped, each write waits for the journal's records to be
 * written, and each completed write is recorded (`onWritten` with the bytes this session wrote so far).
 * The writes that gathered while one waited go out together, after one wait for their records.
 */
export function recordingOutput(
  output: Writable,
  skip: () => number,
  hooks: { beforeWrite(then: () => void): void; onWritten(bytes: number): void },
): Writable {
  let toSkip: number | undefined
  let written = 0
  const recording = new Writable({
    highWaterMark: JOURNALED_OUTPUT_BUFFER_BYTES,
    // Lines become bytes as they are written (the default): a chunk of lines kept as strings while it waits
    // for the journal outlives young garbage collections, which cost more than the copy.
    write(chunk: Buffer, _encoding, cb) {
      hooks.beforeWrite(() => writeOut(chunk, cb))
    },
    writev(chunks, cb) {
      const bytes = Buffer.concat(chunks.map(({ chunk }) => chunk as Buffer))
      hooks.beforeWrite(() => writeOut(bytes, cb))
    },
  })
  const writeOut = (bytes: Buffer, cb: (error?: Error | null) => void): void => {
    toSkip ??= skip()
    const dropped = Math.min(toSkip, bytes.length)
    toSkip -= dropped
    const data = dropped === 0 ? bytes : bytes.subarray(dropped)
    if (data.length === 0) return cb()
    output.write(data, (error) => {
      if (error) return cb(error)
      written += data.length
      hooks.onWritten(written)
      cb()
    })
  }
  // stdout reports its own errors (EPIPE: a quiet exit); this one only passes them on.
  recording.on('error', () => undefined)
  return recording
}
