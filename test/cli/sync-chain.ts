import type { ChildProcess } from 'node:child_process'
import pull, { type Source } from 'pull-stream'
import { createPullSync, lineSource, writeLines, type SyncEndpoint } from '@pando/cli'
import { collect, spawnPando, type RunResult } from '../../harness/pando-process.ts'

/** A `pando MODULE --sync-stdio --local` child, and the pull-sync endpoint that talks to it. */
export interface SyncedPando {
  readonly child: ChildProcess
  readonly endpoint: SyncEndpoint
  readonly result: Promise<RunResult>
}

export function spawnSyncedPando(module: string): SyncedPando {
  const child = spawnPando([module, '--sync-stdio', '--local'])
  const stdin = child.stdin
  stdin.on('error', () => undefined)
  const endpoint = createPullSync({
    source: lineSource(child.stdout),
    sink: (messages) => {
      writeLines(messages, stdin).then(
        () => stdin.end(),
        () => stdin.end(),
      )
    },
  })
  // stdout belongs to the protocol.
  return { child, endpoint, result: collect(child, { readStdout: false }) }
}

/**
 * Chains `pando --sync-stdio` processes as the original's pull-sync master did: the items go to the first
 * process, each one's results are the next one's items, the last one's results come back. Each link is a
 * child's stdin and stdout, carrying the pull-sync messages, so a value moves only when it is asked for.
 */
export async function runChain(
  modules: readonly string[],
  items: Source<unknown>,
  through: (source: Source<unknown>) => Source<unknown> = (source) => source,
): Promise<{ values: unknown[]; error: Error | null; children: RunResult[] }> {
  const links = modules.map(spawnSyncedPando)
  const outcome = await new Promise<{ values: unknown[]; error: Error | null }>((resolve) => {
    pull(
      items,
      ...links.map(({ endpoint }) => ({ source: endpoint.source, sink: endpoint.sink })),
      through,
      pull.collect((error, values) => resolve({ values, error: error instanceof Error ? error : null })),
    )
  })
  return { ...outcome, children: await Promise.all(links.map((link) => link.result)) }
}
