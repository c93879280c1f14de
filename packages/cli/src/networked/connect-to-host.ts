import {
  connectRemoteServer,
  readRunFiles,
  RemoteServerError,
  type RemoteServer,
  type RemoteServerOptions,
} from '@pando/endpoints'
import { PEER_TEXT_CHARS } from '../constants.ts'
import { RunStoppedError, UsageError } from '../errors.ts'
import type { RunOptions } from '../parse-arguments.ts'
import type { ServerAddress } from './host-address.ts'
import { terminalText } from '../terminal-text.ts'

/** Where the volunteers (on this run's own server, or tunnelled through `--host`) and the joiners of the tree arrive, and what stops the run. */
export interface HostHandlers {
  readonly onVolunteer: RemoteServerOptions['onVolunteer']
  readonly onJoinSignal: RemoteServerOptions['onJoinSignal']
  /** Stops the run: its link to the `pando-server` is lost. */
  readonly stop: (error: Error) => void
}

/**
 * Registers this run with the `pando-server` at `host`, as `--host` gave it (`@pando/endpoints`' root link),
 * in the CLI's words: a server that cannot be reached or refuses this root is a usage error (status 2) saying
 * how to fix it; a link lost mid-run stops the run (status 1). The server's words are made safe for the
 * terminal.
 */
export async function connectToHost(
  host: ServerAddress,
  options: RunOptions,
  runDir: string,
  { onVolunteer, onJoinSignal, stop }: HostHandlers,
): Promise<RemoteServer> {
  try {
    return await connectRemoteServer({
      address: host,
      secret: options.secret ?? '',
      files: await readRunFiles(runDir),
      iceAddresses: options.iceAddresses,
      onVolunteer,
      onJoinSignal,
      onLost: (reason) => stop(new RunStoppedError(lostMessage(host.display, safe(reason)))),
    })
  } catch (error) {
    if (error instanceof Error && error.name === RemoteServerError.name) {
      throw new UsageError(registrationMessage(error as RemoteServerError))
    }
    throw error
  }
}

/** The server's words (or the socket's error), made safe for the terminal they are printed on. */
const safe = (text: string): string => terminalText(text, PEER_TEXT_CHARS)

/** What `pando` says when the server cannot be reached or refuses it, with how to fix the usual causes. */
function registrationMessage({ failure, where, reason }: RemoteServerError): string {
  if (failure === 'unreachable') {
    return `cannot reach ${where} (${safe(reason)}): check --host, and that pando-server runs there`
  }
  if (reason === 'wrong secret') {
    return (
      `${where} refused this root: wrong secret (give the server's secret with PANDO_SECRET, --secret, or ` +
      `"secret" in the configuration file: see --config in pando --help)`
    )
  }
  return `${where} refused this root: ${safe(reason)}`
}

function lostMessage(host: string, reason: string): string {
  return (
    `lost the link to pando-server at ${host} (${reason}): the run cannot go on without it and stops here; ` +
    'the results written are correct, the rest were not computed'
  )
}
