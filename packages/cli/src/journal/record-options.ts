import { UsageError } from '../errors.ts'

/** `--journal`, `--resume`, `--resume-failed`, `--joblog`, `--cache`, `--cache-size`: what a run records. */
export interface RecordOptions {
  /** `--journal FILE`: the run's journal; undefined for none. */
  readonly journal: string | undefined
  /** `--resume`: go on with the journal's run; `failed`: and compute its failed items again. */
  readonly resume: 'no' | 'unfinished' | 'failed'
  /** `--joblog FILE`; undefined for none. */
  readonly joblog: string | undefined
  /** `--cache DIR`; undefined for none. */
  readonly cache: string | undefined
  /** `--cache-size`, in bytes. */
  readonly cacheMaxBytes: number
}

/** The option values these come from (see the option table). */
interface RecordValues {
  readonly journal: string
  readonly resume: boolean
  readonly 'resume-failed': boolean
  readonly joblog: string
  readonly cache: string
  readonly 'cache-size': number
  readonly 'sync-stdio': boolean
}

/**
 * The recording options, checked.
 * @throws {UsageError} for `--resume` without a journal, or a journal with `--sync-stdio`
 */
export function recordOptions(values: RecordValues): RecordOptions {
  const resume = values['resume-failed'] ? 'failed' : values.resume ? 'unfinished' : 'no'
  if (resume !== 'no' && values.journal === '') {
    const flag = resume === 'failed' ? '--resume-failed' : '--resume'
    throw new UsageError(`${flag} needs the journal of the run to resume: add --journal FILE`)
  }
  if (values.journal !== '' && values['sync-stdio']) {
    throw new UsageError(
      '--journal cannot be used with --sync-stdio: the peer, not pando, owns what was delivered',
    )
  }
  return {
    journal: values.journal === '' ? undefined : values.journal,
    resume,
    joblog: values.joblog === '' ? undefined : values.joblog,
    cache: values.cache === '' ? undefined : values.cache,
    cacheMaxBytes: values['cache-size'] * 1024 * 1024,
  }
}

/** True when the run records anything (a journal, a job log, a cache). */
export function recordsAnything(options: RecordOptions): boolean {
  return options.journal !== undefined || options.joblog !== undefined || options.cache !== undefined
}
