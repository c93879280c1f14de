import { MIN_SECRET_LENGTH, SECRET_VARIABLE, MAX_SEED } from './constants.ts'
import { UsageError } from './errors.ts'
import { parseServerAddress, type ServerAddress } from './networked/host-address.ts'
import type { OptionValues } from './option-table.ts'

/** The usage error of a secret shorter than {@link MIN_SECRET_LENGTH}, for `who` (never quoting it). */
export function secretTooShort(who: 'pando' | 'pando-server'): string {
  return (
    `the secret of ${who === 'pando' ? 'the pando-server (--host)' : 'pando-server'} is too short: it needs ` +
    `${MIN_SECRET_LENGTH} characters or more, hard to guess, e.g. export ${SECRET_VARIABLE}=$(openssl rand -hex 16)`
  )
}

/** `--host`, `--secret` and `--seed`, checked. */
export interface RemoteOptions {
  /** The remote `pando-server` (`--host`); `undefined` to start a server in this process. */
  readonly host: ServerAddress | undefined
  /** Its secret: `--secret`, else `$PANDO_SECRET`, else `"secret"` in the configuration file. */
  readonly secret: string | undefined
  /** `--seed`, for reproducible ids; `undefined` for random ones. */
  readonly seed: number | undefined
}

/** Whether `name` (a long option) is given on the command line `args`, before any `--`. */
export function givenOnCommandLine(args: readonly string[], name: string): boolean {
  for (const arg of args) {
    if (arg === '--') return false
    if (arg === `--${name}` || arg.startsWith(`--${name}=`)) return true
  }
  return false
}

/** Reads a seed: a whole number from 0 to 2³²−1; '' for none. @throws {UsageError} */
export function parseSeed(text: string, help: string): number | undefined {
  if (text === '') return undefined
  if (!/^\d+$/.test(text) || Number(text) > MAX_SEED) {
    throw new UsageError(
      `--seed must be a whole number from 0 to ${MAX_SEED}, not ${JSON.stringify(text)} (see '${help}')`,
    )
  }
  return Number(text)
}

/**
 * Checks `--host`, `--secret` and `--seed` together: a secret typed with no `--host` would do nothing, and a
 * `--host` with no secret from anywhere cannot register. @throws {UsageError}
 */
export function remoteOptions(args: readonly string[], values: OptionValues): RemoteOptions {
  const secret = values.secret === '' ? undefined : values.secret
  const seed = parseSeed(values.seed, 'pando --help')
  if (values.host === '') {
    if (givenOnCommandLine(args, 'secret')) {
      throw new UsageError(
        '--secret is the secret of a pando-server, and does nothing without --host: add --host HOST:PORT, or drop --secret',
      )
    }
    return { host: undefined, secret: undefined, seed }
  }
  const host = parseServerAddress(values.host)
  if (secret === undefined) {
    throw new UsageError(
      `--host needs the secret of the pando-server at ${host.display}: set ${SECRET_VARIABLE}, or "secret" in ` +
        'the configuration file (or --secret, which other users of this machine can see)',
    )
  }
  if (secret.length < MIN_SECRET_LENGTH) throw new UsageError(secretTooShort('pando'))
  return { host, secret, seed }
}
