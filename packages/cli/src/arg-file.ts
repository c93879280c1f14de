import { closeSync, createReadStream, fstatSync, openSync } from 'node:fs'
import type { Readable } from 'node:stream'
import { UsageError } from './errors.ts'

/**
 * Opens the `--arg-file` to read its items. It is opened at once, so a missing or unreadable file is a usage
 * error before anything starts.
 * @throws {UsageError} when it cannot be opened (no such file, no permission, a directory)
 */
export function openArgFile(path: string): Readable {
  let fd: number
  try {
    fd = openSync(path, 'r')
  } catch (error) {
    throw new UsageError(`cannot read the --arg-file ${path}: ${reason(error)}`)
  }
  if (fstatSync(fd).isDirectory()) {
    closeSync(fd)
    throw new UsageError(`cannot read the --arg-file ${path}: it is a directory`)
  }
  return createReadStream(path, { fd })
}

function reason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code
  if (code === 'ENOENT') return 'no such file'
  if (code === 'EACCES') return 'permission denied'
  return error instanceof Error ? error.message : String(error)
}
