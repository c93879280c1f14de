import { randomUUID } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { BUNDLE_FILENAME, bundleModule } from '@pando/bundler'
import type { ProcessFunction } from '@pando/protocol'
import { createServer, RUN_PATH, type PandoServer } from '@pando/server'
import { distRoot } from '@pando/volunteer/paths'
import pull from 'pull-stream'
import { UsageError } from './errors.ts'
import { printMessage } from './exit.ts'
import type { ItemChannel, RunEnding } from './item-channel.ts'
import { createRootLender } from './lend-items.ts'
import { LOCAL_WORKER_NAME, localWorker } from './local-worker.ts'
import { serveVolunteer } from './networked/volunteer-session.ts'
import { findChromium, openVolunteerTabs, type VolunteerTabs } from './networked/volunteer-tabs.ts'
import type { RunOptions } from './parse-arguments.ts'

/** What a networked run gets: the same as a local one, plus the options (the module path, to bundle it). */
export interface NetworkedRun {
  readonly options: RunOptions
  readonly process: ProcessFunction
  readonly channel: ItemChannel
}

/** Volunteers hold this many batches at once: one computing, one on its way. */
const BATCHES_IN_FLIGHT = 2

/**
 * The networked mode: bundles the module for the volunteers' Workers into a directory of this run, serves
 * the volunteer page, lends the items to every volunteer that connects (and to this process too with
 * `--no-start-idle`), and writes the results in input order.
 */
export async function runNetworked({ options, process, channel }: NetworkedRun): Promise<RunEnding> {
  const chromium = options.volunteers > 0 ? findChromium() : undefined
  const runDir = await mkdtemp(path.join(os.tmpdir(), 'pando-run-'))
  let server: PandoServer | undefined
  let tabs: VolunteerTabs | undefined
  try {
    await bundle(options.module, runDir)
    const lender = createRootLender(channel.items, options.retries)
    let connected = 0
    server = await listen(options, runDir, (socket) =>
      serveVolunteer(socket, {
        lender,
        config: { bundleUrl: `${RUN_PATH.slice(1)}/${BUNDLE_FILENAME}` },
        batchSize: options.batchSize,
        credit: options.batchSize * BATCHES_IN_FLIGHT,
        volunteerId: randomUUID(),
        onJoin: (device) => printMessage(`volunteer '${device}' joined (${++connected} connected)`),
        onLeave: (reason) => printMessage(`a volunteer left: ${reason} (${--connected} connected)`),
      }),
    )
    printMessage(`volunteers can join at ${server.urls.join(' or ')}`)
    if (!options.startIdle) {
      const worker = lender.lendStream({ credit: 1, name: LOCAL_WORKER_NAME })
      pull(worker.source, localWorker(process), worker.sink)
    }
    if (chromium !== undefined)
      tabs = await openVolunteerTabs(server.urls[0] ?? '', options.volunteers, chromium)
    return await channel.deliver(lender.source)
  } finally {
    await tabs?.close()
    await server?.close()
    await rm(runDir, { recursive: true, force: true })
  }
}

async function bundle(module: string, outDir: string): Promise<void> {
  try {
    await bundleModule({ modulePath: path.resolve(module), outDir })
  } catch (error) {
    if (error instanceof Error && error.name === 'BundleError') {
      throw new UsageError(
        `${error.message}\n(the module must bundle for a browser Worker: fix it, or use --local)`,
      )
    }
    throw error
  }
}

async function listen(
  options: RunOptions,
  runDir: string,
  onVolunteer: Parameters<typeof createServer>[0]['onVolunteer'],
): Promise<PandoServer> {
  try {
    return await createServer({
      port: options.port,
      volunteerDir: distRoot,
      runDir,
      heartbeatMs: options.heartbeatMs,
      onVolunteer,
    })
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new UsageError(
        `port ${options.port} is in use: choose another with --port, or --port 0 for a free one`,
      )
    }
    throw error
  }
}
