import { isIP } from 'node:net'
import { LOOPBACK_ADDRESS } from './constants.ts'
import { UsageError } from './errors.ts'
import { givenOnCommandLine } from './remote-options.ts'

/** `--listen`, `--open` and `--allow-host`, checked: who can reach the server, and with what. */
export interface AccessArguments {
  /** The interface to listen on; `undefined` for every one. */
  readonly listen: string | undefined
  readonly open: boolean
  readonly allowHosts: readonly string[]
}

/** Reads `--listen ADDRESS` (an IP address; `help` names the help to see). @throws {UsageError} */
export function parseListenAddress(text: string, help: string): string {
  const address = text.replace(/^\[(.*)\]$/, '$1')
  if (isIP(address) === 0) {
    throw new UsageError(
      `--listen must be an IP address of this machine, e.g. 127.0.0.1 (this machine only) or 0.0.0.0 (every ` +
        `interface), not ${JSON.stringify(text)} (see '${help}')`,
    )
  }
  return address
}

/** Reads `--allow-host NAME,NAME…`: host names, without port. @throws {UsageError} */
export function parseAllowedHosts(text: string, help: string): string[] {
  const names = text
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter((name) => name !== '')
  for (const name of names) {
    if (!/^[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9.])?$/.test(name)) {
      throw new UsageError(
        `--allow-host takes host names (e.g. pando.example.org), comma-separated, without a port, not ` +
          `${JSON.stringify(name)} (see '${help}')`,
      )
    }
  }
  return names
}

/**
 * The access options of `pando` (its command line `args`, to refuse those typed with `--host`, where the
 * server's own apply): `--listen` defaults to loopback when tabs of this machine (`--volunteers`) are asked
 * for, else to every interface (volunteers of the LAN).
 */
export function accessOptions(
  values: {
    readonly listen: string
    readonly open: boolean
    readonly 'allow-host': string
    readonly volunteers: number
    readonly host: string
  },
  args: readonly string[],
): AccessArguments {
  const typed = ['listen', 'open', 'allow-host'].find((name) => givenOnCommandLine(args, name))
  if (values.host !== '' && typed !== undefined) {
    throw new UsageError(
      `--${typed} does nothing with --host: the pando-server's own options apply (give it to pando-server)`,
    )
  }
  const listen =
    values.listen !== ''
      ? parseListenAddress(values.listen, 'pando --help')
      : values.volunteers > 0
        ? LOOPBACK_ADDRESS
        : undefined
  return { listen, open: values.open, allowHosts: parseAllowedHosts(values['allow-host'], 'pando --help') }
}
