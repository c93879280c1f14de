import type { Settled } from '@pando/scheduler'
import pull, { type Through } from 'pull-stream'

/** What ends a record, in and out: a newline (a line), or a NUL with `--null`. */
export type RecordSeparator = '\n' | '\0'

/** The separator `--null` asks for. */
export function recordSeparator(nul: boolean): RecordSeparator {
  return nul ? '\0' : '\n'
}

/** The name of the error of a result that holds the record separator. */
export const RESULT_SEPARATOR_ERROR = 'ResultSeparatorError'

/**
 * With `--null`, a result that holds a NUL would come out as two records: its item fails instead, with a
 * `ResultSeparatorError` (then `--on-error` applies; computing it again would give the same result). With
 * newlines the results pass as they are: a result that holds a newline comes out as several lines, as it
 * always has (use `--null` for such results).
 */
export function separatorCheck(separator: RecordSeparator): Through<Settled, Settled> {
  if (separator === '\n') return pull.through()
  return pull.map((settled: Settled): Settled => {
    if (!settled.ok || !settled.result.includes(separator)) return settled
    return {
      id: settled.id,
      value: settled.value,
      ok: false,
      error: {
        name: RESULT_SEPARATOR_ERROR,
        message: 'the result contains a NUL character, which ends a record with --null',
      },
      attempts: 1,
      ...(settled.by === undefined ? {} : { by: settled.by }),
    }
  })
}
