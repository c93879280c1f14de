import {
  createAccessToken,
  createHostingServer,
  type HostingServer,
  type RootRegistryEvent,
} from '@pando/server'
import { distRoot as dashboardRoot } from '@pando/dashboard/paths'
import { distRoot } from '@pando/volunteer/paths'
import {
  EXIT_FAILED,
  EXIT_INTERRUPTED,
  EXIT_OK,
  EXIT_TERMINATED,
  PEER_TEXT_CHARS,
  SHUTDOWN_GRACE_MS,
} from './constants.ts'
import { errorText } from './exit.ts'
import { isUsageError, UsageError } from './errors.ts'
import { createRunIds } from './networked/run-ids.ts'
import { terminalText } from './terminal-text.ts'
import type { ServerCommand, ServerRunOptions } from './server-arguments.ts'

/** Every message of `pando-server` starts with this, on stderr. */
const SERVER_PREFIX = 'pando-server: '

/** Writes a message of `pando-server` on stderr, after its prefix. */
export function printServerMessage(message: string): void {
  process.stderr.write(`${SERVER_PREFIX}${message}\n`)
}

/**
 * Reports a bug of pando-server's own (not a root's, not a peer's) that it survives, as `pando`'s
 * `printInternalError` does: `while_` says what it was doing; the stack follows, for a bug report.
 */
function printServerInternalError(while_: string, error: unknown): void {
  printServerMessage(`internal error while ${while_}: ${errorText(error)}`)
}

/** Reports an error and exits: status 2 for a usage error, 1 otherwise. */
export function exitServerWithError(error: unknown): void {
  if (isUsageError(error)) {
    printServerMessage(error.message)
    process.exitCode = error.exitCode
    return
  }
  printServerMessage(`internal error: ${errorText(error)}`)
  process.exitCode = EXIT_FAILED
}

/** Does what `pando-server`'s command line asked: help, version, or serve until a signal. */
export async function serve(command: ServerCommand): Promise<void> {
  if (command.kind !== 'serve') {
    process.stdout.write(`${command.text}\n`)
    process.exitCode = EXIT_OK
    return
  }
  try {
    const server = await start(command.options)
    const stop = (code: number): void => {
      const timer = setTimeout(() => process.exit(code), SHUTDOWN_GRACE_MS)
      void server.close().finally(() => {
        clearTimeout(timer)
        process.exit(code)
      })
    }
    process.once('SIGINT', () => stop(EXIT_INTERRUPTED))
    process.once('SIGTERM', () => stop(EXIT_TERMINATED))
  } catch (error) {
    exitServerWithError(error)
  }
}

async function start(options: ServerRunOptions): Promise<HostingServer> {
  const ids = createRunIds(options.seed)
  let server: HostingServer
  try {
    server = await createHostingServer({
      port: options.port,
      ...(options.host === undefined ? {} : { host: options.host }),
      secret: options.secret,
      ...(options.turnSecret === undefined ? {} : { turnSecret: options.turnSecret }),
      access: { token: options.open ? undefined : createAccessToken(), allowedHosts: options.allowHosts },
      volunteerDir: distRoot,
      dashboardDir: dashboardRoot,
      heartbeatMs: options.heartbeatMs,
      join: {
        addresses: options.iceAddresses,
        onInternalError: (error) => printServerInternalError("relaying a joiner's signal", error),
        ...(ids.origin === undefined ? {} : { newOrigin: ids.origin }),
      },
      onEvent: (event) => printServerMessage(describeEvent(event)),
      onInternalError: (error) => printServerInternalError('taking a message from the root', error),
    })
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'EADDRINUSE') {
      throw new UsageError(
        `port ${options.port} is in use: choose another with --port, or --port 0 for a free one`,
      )
    }
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') {
      throw new UsageError(
        `cannot listen on --listen ${options.host ?? ''}: it is not an address of this machine`,
      )
    }
    throw error
  }
  const [first = ''] = server.urls
  printServerMessage(`volunteers can join at ${server.urls.join(' or ')} (they wait for a root between runs)`)
  printServerMessage(`the dashboard is at ${server.dashboardUrls[0] ?? ''}`)
  printServerMessage(`a root registers with: pando MODULE --host ${new URL(first).host} (and the secret)`)
  return server
}

function describeEvent(event: RootRegistryEvent): string {
  switch (event.type) {
    case 'registered':
      return `a root registered from ${event.address} (${event.files} files, ${Math.ceil(event.bytes / 1024)} KiB): its run starts`
    case 'left':
      return `the root from ${event.address} left: ${terminalText(event.reason, PEER_TEXT_CHARS)}`
    case 'refused':
      return `refused a root from ${event.address}: ${terminalText(event.reason, PEER_TEXT_CHARS)}`
  }
}
