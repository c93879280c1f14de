import { createHash, randomBytes } from 'node:crypto'
import {
  mkdirSync,
  readFileSync,
  readdirSync,
  renameSync,
  statSync,
  unlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs'
import path from 'node:path'
import type { ModuleIdentity } from './journal-records.ts'

/**
 * `--cache DIR`: the results of a module on items, remembered across runs. Each result is a file named by
 * the SHA-256 of the module's identity and the item (content-addressed), in a subdirectory of its first two
 * hex digits. A hit refreshes the file's mtime; `evict` removes the least recently used files until the
 * cache fits its size. Safe with concurrent runs: a result is written to a temporary file, then renamed.
 * Failures are not remembered.
 */
export class ResultCache {
  readonly #dir: string
  readonly #module: ModuleIdentity
  readonly #maxBytes: number

  constructor(dir: string, module: ModuleIdentity, maxBytes: number) {
    this.#dir = dir
    this.#module = module
    this.#maxBytes = maxBytes
    mkdirSync(dir, { recursive: true })
  }

  /** The remembered result of the item, or undefined. */
  get(item: string): string | undefined {
    const file = this.#fileOf(item)
    try {
      const result = readFileSync(file, 'utf8')
      const now = new Date()
      utimesSync(file, now, now)
      return result
    } catch {
      return undefined
    }
  }

  set(item: string, result: string): void {
    const file = this.#fileOf(item)
    const temporary = `${file}.${randomBytes(6).toString('hex')}.tmp`
    try {
      mkdirSync(path.dirname(file), { recursive: true })
      writeFileSync(temporary, result)
      renameSync(temporary, file)
    } catch {
      // A cache that cannot be written (full disk, read-only) only costs a recomputation later.
      try {
        unlinkSync(temporary)
      } catch {
        // It was not created.
      }
    }
  }

  /** Removes the least recently used results until the cache holds at most its size. */
  evict(): void {
    const entries: { file: string; size: number; mtimeMs: number }[] = []
    let total = 0
    for (const sub of safeReaddir(this.#dir)) {
      const subDir = path.join(this.#dir, sub)
      for (const name of safeReaddir(subDir)) {
        const file = path.join(subDir, name)
        try {
          const stat = statSync(file)
          if (!stat.isFile()) continue
          entries.push({ file, size: stat.size, mtimeMs: stat.mtimeMs })
          total += stat.size
        } catch {
          // Evicted by a concurrent run.
        }
      }
    }
    if (total <= this.#maxBytes) return
    entries.sort((a, b) => a.mtimeMs - b.mtimeMs)
    for (const entry of entries) {
      if (total <= this.#maxBytes) return
      try {
        unlinkSync(entry.file)
      } catch {
        // Evicted by a concurrent run.
      }
      total -= entry.size
    }
  }

  #fileOf(item: string): string {
    const key = createHash('sha256')
      .update(`${this.#module.of}:${this.#module.sha256}\n`)
      .update(item)
      .digest('hex')
    return path.join(this.#dir, key.slice(0, 2), key.slice(2))
  }
}

function safeReaddir(dir: string): string[] {
  try {
    return readdirSync(dir)
  } catch {
    return []
  }
}
