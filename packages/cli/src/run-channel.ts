import { openArgFile } from './arg-file.ts'
import { withErrorPolicy, type PolicyChannel } from './error-policy.ts'
import { HaltWatch } from './halt-policy.ts'
import { argumentChannel, deliveringThrough, stdinChannel, type ItemChannel } from './item-channel.ts'
import type { RunRecord } from './journal/run-record.ts'
import type { RunOptions } from './parse-arguments.ts'
import { separatorCheck } from './record-separator.ts'
import { syncStdioChannel } from './sync-stdio-channel.ts'
import { tagResults } from './tag-results.ts'

/** The run's channel, and what watches its `--halt` condition when there is one. */
export interface RunChannel {
  readonly channel: PolicyChannel
  readonly halt: HaltWatch | undefined
}

/**
 * Where the run's items come from and how its results go out: ITEMS, stdin or the `--arg-file`; then, on the
 * way out, in this order: `--halt` counts the settled items, `--null` fails a result holding a NUL,
 * `--on-error` applies, `--tag` prefixes the item, and the records are written.
 * @throws {UsageError} when the `--arg-file` cannot be read
 */
export function createRunChannel(options: RunOptions, record: RunRecord | undefined): RunChannel {
  let channel: ItemChannel = baseChannel(options, record)
  if (options.tag) channel = deliveringThrough(channel, tagResults())
  let policy = withErrorPolicy(
    record === undefined ? channel : { ...channel, record },
    options.onError,
    options.errorMarker,
  )
  policy = deliveringThrough(policy, separatorCheck(options.recordSeparator))
  if (options.halt === undefined) return { channel: policy, halt: undefined }
  const total = options.stdin || options.argFile !== undefined ? undefined : options.items.length
  const halt = new HaltWatch(options.halt, total)
  policy = deliveringThrough({ ...policy, items: halt.items(policy.items) }, halt.results())
  return { channel: policy, halt }
}

function baseChannel(options: RunOptions, record: RunRecord | undefined): ItemChannel {
  // With --sync-stdio there is no journal (the peer owns what was delivered), but --joblog and --cache work.
  if (options.syncStdio) return syncStdioChannel(process.stdin, process.stdout)
  const output = record?.output(process.stdout) ?? process.stdout
  const separator = options.recordSeparator
  if (options.argFile !== undefined) {
    return stdinChannel(openArgFile(options.argFile), output, separator, 'file')
  }
  return options.stdin
    ? stdinChannel(process.stdin, output, separator)
    : argumentChannel(options.items, output, separator)
}
