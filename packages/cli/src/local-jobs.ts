import { availableParallelism } from 'node:os'
import { UsageError } from './errors.ts'

/**
 * Reads `--jobs` (`-j`): how many items `--local` computes at once, each in a worker thread; `0` or `auto`
 * for one per core (`os.availableParallelism()`). Without `--local` it is refused rather than ignored: the
 * volunteers' tabs choose their Workers (`--workers` for `--volunteers` tabs).
 * @throws {UsageError} for anything but a whole number or auto, or for a count other than 1 without --local
 */
export function parseJobs(text: string, local: boolean): number {
  if (!/^(\d+|auto)$/.test(text)) {
    throw new UsageError(
      `--jobs must be a whole number (0 for one per core) or auto, not ${JSON.stringify(text)} (see 'pando --help')`,
    )
  }
  const jobs = text === 'auto' || Number(text) === 0 ? availableParallelism() : Number(text)
  if (text !== '1' && !local) {
    throw new UsageError(
      `--jobs ${text} sets how many items --local computes at once: add --local, or drop --jobs (volunteers' ` +
        'tabs choose their own Workers; --workers N sets those of --volunteers tabs)',
    )
  }
  return jobs
}
