import { DEFAULT_PORT } from '@pando/protocol'
import yargs from 'yargs'
import { parseAllowedHosts, parseListenAddress } from './access-options.ts'
import type { ConfigFile } from './config-file.ts'
import { CONFIG_FILES_TEXT, MIN_SECRET_LENGTH, SECRET_VARIABLE } from './constants.ts'
import { readEnvironmentOptions, type Environment } from './environment-options.ts'
import { UsageError } from './errors.ts'
import {
  OPTION_TABLE,
  checkOptionValue,
  type OptionName,
  type OptionValue,
  type OptionValues,
} from './option-table.ts'
import { parseSeed, secretTooShort } from './remote-options.ts'
import type { TextCommand } from './parse-arguments.ts'

/**
 * The options of `pando-server` that `pando` has too, with the same meaning: their `PANDO_<OPTION>` variable
 * and their key in the configuration file set them, as for `pando` (the command line first, then the
 * environment, then the file). Not `host`: to `pando`, `--host` is the remote server.
 */
const DEFAULTED_OPTIONS = [
  'port',
  'listen',
  'open',
  'allow-host',
  'secret',
  'heartbeat',
  'ice-addresses',
  'seed',
  'turn-secret',
] as const satisfies readonly OptionName[]

/** What `pando-server` is asked to do. */
export type ServerCommand = TextCommand | { readonly kind: 'serve'; readonly options: ServerRunOptions }

/** A `pando-server` to start. */
export interface ServerRunOptions {
  readonly port: number
  /** The interface to listen on (`--listen`); `undefined` for all. */
  readonly host: string | undefined
  /** `--open`: no access token. */
  readonly open: boolean
  /** `--allow-host`: more host names the server answers to. */
  readonly allowHosts: readonly string[]
  /** What a root must give to register: `--secret`, else `$PANDO_SECRET`, else the config file's. */
  readonly secret: string
  readonly heartbeatMs: number
  readonly iceAddresses: 'loopback' | 'private' | 'any'
  readonly seed: number | undefined
  /**
   * The secret shared with the TURN servers of the roots' runs: `--turn-secret`, else `$PANDO_TURN_SECRET`,
   * else the config file's; `undefined` for none.
   */
  readonly turnSecret: string | undefined
}

export interface ServerParseContext {
  /**
   * The configuration file (`--config FILE`, else the usual one; see `readConfigFile`): its keys of
   * {@link DEFAULTED_OPTIONS} apply.
   */
  readonly config: ConfigFile
  /** The environment, for the `PANDO_<OPTION>` variables of {@link DEFAULTED_OPTIONS}. */
  readonly env: Environment
  readonly version: string
}

const USAGE = `Usage: pando-server [OPTIONS]

Hosts the volunteer page, the dashboard, the WebRTC signaling and the volunteers'
WebSocket for runs whose root is elsewhere: on another machine,
'pando MODULE --host HOST:PORT' registers as the root of a run, with the server's
secret. One root at a time; volunteers wait between runs.`

const EPILOGUE = `The secret: --secret, else $${SECRET_VARIABLE}, else "secret" in the configuration file.
There is no default: without one, pando-server does not start. Prefer the variable or
the file: other users of a machine can see a command line.

Defaults: each option but --host (the old name of --listen) and --config is also read
from PANDO_<OPTION> (PANDO_PORT, PANDO_ICE_ADDRESSES…), else from its key in the
configuration file ("port", "ice-addresses"…), the file pando reads: --config FILE,
else $PANDO_CONFIG, else ${CONFIG_FILES_TEXT}.

The access token: the printed URLs carry a random ?token=, made at start, which every
page, run file, feed and socket requires (the root link needs the secret instead; the
root is given the token and prints its URLs with it); --open drops it.

Exit status: 2 for a usage error (no secret, a secret of fewer than ${MIN_SECRET_LENGTH} characters, a bad option, a port in use); 130 when
interrupted (143 on SIGTERM).`

/** The options, in the help's order; `pando`'s checks apply to those it has too (port, heartbeat…). */
const SERVER_OPTIONS = {
  port: { describe: 'TCP port to listen on; 0 picks a free one.', default: String(DEFAULT_PORT) },
  listen: {
    describe: 'The address (interface) to listen on, e.g. 127.0.0.1 behind a reverse proxy of this machine.',
    default: 'every interface',
  },
  host: { describe: 'The old name of --listen.', default: undefined },
  open: {
    describe:
      "Serve without the access token: anyone who can reach the port may open the pages and the run's files " +
      'and join (a public demo). By default the printed URLs carry a random ?token=, made at start.',
    default: 'false',
  },
  'allow-host': { describe: OPTION_TABLE['allow-host'].describe, default: 'none' },
  secret: { describe: 'What a root must give to register (see below).', default: undefined },
  heartbeat: {
    describe:
      'Time between two pings of a volunteer, a dashboard or the root (2s, 1500ms; a bare number is ms); one ' +
      'that misses a ping is dropped.',
    default: '2s',
  },
  'ice-addresses': { describe: OPTION_TABLE['ice-addresses'].describe, default: 'any' },
  seed: {
    describe: "A whole number that makes the join attempts' ids reproducible.",
    default: 'none',
  },
  'turn-secret': {
    describe:
      "The secret shared with the TURN servers that roots name without credentials (pando --host … --ice-servers turn:…): each page that loads the run's config gets time-limited credentials made from it. Prefer $PANDO_TURN_SECRET.",
    default: 'none',
  },
  config: {
    describe: 'Read the defaults from FILE instead of the usual configuration file (see below).',
    default: CONFIG_FILES_TEXT,
  },
} as const

/** Keys yargs adds that are not options. */
const NOT_OPTIONS = new Set(['_', '$0', '--', 'help', 'h', 'version', 'v', 'c'])

/** Understands `pando-server`'s command line. @throws {UsageError} */
export async function parseServerArguments(
  args: readonly string[],
  context: ServerParseContext,
): Promise<ServerCommand> {
  const parser = serverParser(args)
  const argv = (await parser.parseAsync()) as Record<string, unknown>
  if (argv['help'] === true) return { kind: 'help', text: await parser.getHelp() }
  if (argv['version'] === true) return { kind: 'version', text: context.version }
  checkArguments(argv)
  return { kind: 'serve', options: serverRunOptions(argv, context) }
}

/** The yargs parser of `pando-server`'s options, whose failures are {@link UsageError}s. */
function serverParser(args: readonly string[]): ReturnType<typeof yargs> {
  let parser = yargs([...args])
    .scriptName('pando-server')
    .usage(USAGE)
    .epilogue(EPILOGUE)
    .locale('en')
    .parserConfiguration({
      'parse-numbers': false,
      'parse-positional-numbers': false,
      'camel-case-expansion': false,
      'duplicate-arguments-array': false,
    })
    .help(false)
    .version(false)
    .exitProcess(false)
    .wrap(Math.min(100, yargs().terminalWidth() || 100))
    .fail((message: string | null, error: Error | null) => {
      const text = message ?? error?.message ?? 'cannot parse the command line'
      const missing = /^Not enough arguments following: (.+)$/.exec(text)
      throw new UsageError(
        missing
          ? `--${missing[1]} needs a value (see 'pando-server --help')`
          : `${text} (see 'pando-server --help')`,
      )
    })
  for (const [name, spec] of Object.entries(SERVER_OPTIONS)) {
    parser = parser.option(name, {
      describe: spec.describe,
      ...(name === 'config' ? { alias: 'c' } : {}),
      ...(name === 'open' ? { type: 'boolean' } : { type: 'string', requiresArg: true, nargs: 1 }),
      ...(spec.default === undefined ? {} : { defaultDescription: spec.default }),
    })
  }
  return parser
    .option('help', { alias: 'h', type: 'boolean', describe: 'Show this help and exit.' })
    .option('version', { alias: 'v', type: 'boolean', describe: 'Show the version number and exit.' })
}

/** The server to start, from the parsed command line, the environment and the configuration file. */
function serverRunOptions(argv: Record<string, unknown>, context: ServerParseContext): ServerRunOptions {
  const defaults = defaultsOf(context)
  /** The option's value: typed, else from the environment or the file, else `pando`'s built-in default. */
  const value = <K extends (typeof DEFAULTED_OPTIONS)[number]>(name: K): OptionValues[K] => {
    const typed = argv[name]
    if (typeof typed === 'boolean') return typed as OptionValues[K]
    if (typeof typed === 'string') return shared(name, typed) as OptionValues[K]
    return defaults[name] ?? (OPTION_TABLE[name].default as OptionValues[K])
  }
  const oldListen = argv['host'] as string | undefined
  const listen = argv['listen'] === undefined && oldListen !== undefined ? oldListen : value('listen')
  const turnSecret = value('turn-secret')
  return {
    port: value('port'),
    host: listen === '' ? undefined : parseListenAddress(listen, 'pando-server --help'),
    open: value('open'),
    allowHosts: parseAllowedHosts(value('allow-host'), 'pando-server --help'),
    secret: secretOf(value('secret'), context.config),
    heartbeatMs: value('heartbeat'),
    iceAddresses: value('ice-addresses') as ServerRunOptions['iceAddresses'],
    seed: parseSeed(value('seed'), 'pando-server --help'),
    turnSecret: turnSecret === '' ? undefined : turnSecret,
  }
}

/** The values of {@link DEFAULTED_OPTIONS} that the environment, else the configuration file, sets. */
function defaultsOf(context: ServerParseContext): Partial<OptionValues> {
  const fromFile: Partial<Record<OptionName, OptionValue>> = {}
  for (const name of DEFAULTED_OPTIONS) {
    const value = context.config.values[name]
    if (value !== undefined) fromFile[name] = value
  }
  return { ...(fromFile as Partial<OptionValues>), ...readEnvironmentOptions(context.env, DEFAULTED_OPTIONS) }
}

function checkArguments(argv: Record<string, unknown>): void {
  const unknown = Object.keys(argv).find(
    (key) => !NOT_OPTIONS.has(key) && !Object.hasOwn(SERVER_OPTIONS, key),
  )
  if (unknown !== undefined) {
    const flag = unknown.length === 1 ? `-${unknown}` : `--${unknown}`
    throw new UsageError(`unknown option ${flag}: run 'pando-server --help' to see the options`)
  }
  const positionals = argv['_'] as unknown[]
  if (positionals.length > 0) {
    throw new UsageError(
      `pando-server takes no MODULE or items (${JSON.stringify(String(positionals[0]))}): the root gives them, ` +
        "with 'pando MODULE --host HOST:PORT' (see 'pando-server --help')",
    )
  }
}

/** A value checked as `pando` checks its option of the same name. */
function shared(name: OptionName, text: string): OptionValue {
  const checked = checkOptionValue(name, text, 'text')
  if (!checked.ok) throw new UsageError(`--${name} ${checked.reason} (see 'pando-server --help')`)
  return checked.value
}

/** The secret (`''` for none). @throws {UsageError} when there is none, or it is too short */
function secretOf(secret: string, config: ConfigFile): string {
  if (secret === '') {
    throw new UsageError(
      'no secret: pando-server needs one, which a root must give to register. Set one that is hard to guess, ' +
        `e.g. export ${SECRET_VARIABLE}=$(openssl rand -hex 16), or put it as "secret" in ${config.path} ` +
        `(or --secret, which other users of this machine can see); then give the same to 'pando --host'`,
    )
  }
  if (secret.length < MIN_SECRET_LENGTH) throw new UsageError(secretTooShort('pando-server'))
  return secret
}
