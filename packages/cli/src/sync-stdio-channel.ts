import type { Readable, Writable } from 'node:stream'
import { formatResult } from '@pando/protocol'
import type { Settled } from '@pando/scheduler'
import pull, { type Source } from 'pull-stream'
import { resultLines, type ItemChannel, type RunEnding } from './item-channel.ts'
import { itemFailureMessage } from './item-label.ts'
import { lineSource } from './line-source.ts'
import { writeLines } from './line-sink.ts'
import { createPullSync } from './pull-sync.ts'

/**
 * Items and results exchanged with a peer in the original Pando's pull-sync protocol (`--sync-stdio`): the
 * peer's messages arrive on `input`, ours leave on `output`, one per line. An item is read from the peer only
 * when the processing asks for one, and a result is sent only when the peer asks for one, so chained
 * processes hold each other back. A failed item ends the results with its error, which the peer receives.
 */
export function syncStdioChannel(input: Readable, output: Writable): ItemChannel {
  let sent: Promise<void> = Promise.resolve()
  const endpoint = createPullSync({
    source: lineSource(input),
    sink: (messages) => {
      sent = writeLines(messages, output)
    },
  })
  return {
    origin: 'peer',
    // Items are strings; a peer that is not pando may send other JSON values: they are formatted as results.
    items: pull(
      endpoint.source,
      pull.map((value: unknown) => (typeof value === 'string' ? value : formatResult(value))),
    ),
    async deliver(results: Source<Settled>): Promise<RunEnding> {
      const { lines, ending } = resultLines(results, (item) => {
        // The peer receives the error; once it is sent, stop without waiting for the peer.
        queueMicrotask(() => endpoint.finish())
        return new Error(itemFailureMessage('peer', item))
      })
      endpoint.sink(lines)
      await sent
      return ending()
    },
  }
}
