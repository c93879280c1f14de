import yargs, { type Argv } from 'yargs'
import { UsageError } from './errors.ts'
import {
  OPTION_NAMES,
  OPTION_TABLE,
  builtInDefaults,
  checkOptionValue,
  isOptionName,
  type OptionName,
  type OptionValue,
  type OptionValues,
} from './option-table.ts'
import type { ConfigFile } from './config-file.ts'
import { recordOptions, type RecordOptions } from './journal/record-options.ts'
import { accessOptions } from './access-options.ts'
import { iceOptions, type IceOptions } from './turn-options.ts'
import { givenOnCommandLine, remoteOptions, type RemoteOptions } from './remote-options.ts'

/** What to do, once the command line is understood. */
export type Command =
  | { readonly kind: 'help'; readonly text: string }
  | { readonly kind: 'version'; readonly text: string }
  | { readonly kind: 'run'; readonly options: RunOptions }

/** A run: the module, where its items come from, and how to process them. */
export interface RunOptions {
  /** The module path as typed (relative to the working directory, or absolute). */
  readonly module: string
  /** Items given on the command line, exactly as typed. Empty with `--stdin`. */
  readonly items: readonly string[]
  /** Items come from standard input, one per line (also true with `syncStdio`). */
  readonly stdin: boolean
  readonly local: boolean
  readonly syncStdio: boolean
  readonly retries: number
  /** `--max-result-size`: the largest result kept, in characters; a larger one fails its item. */
  readonly maxResultChars: number
  readonly onError: 'abort' | 'skip' | 'mark'
  readonly errorMarker: string
  /** Networked mode: see the option table for each. */
  readonly port: number
  /** `--listen`: the interface to listen on, `undefined` for every one (the default with `--volunteers`: loopback). */
  readonly listen: string | undefined
  /** `--open`: no access token. */
  readonly open: boolean
  /** `--allow-host`: more host names the server answers to. */
  readonly allowHosts: readonly string[]
  readonly batchSize: number
  readonly heartbeatMs: number
  /** `--item-timeout`: the item deadline (volunteers, `--local`, `--no-start-idle`), in ms; 0 for none. */
  readonly itemTimeoutMs: number
  readonly startIdle: boolean
  readonly volunteers: number
  /** `--workers`: Workers per `--volunteers` tab; 0 leaves it to the tab. */
  readonly workers: number
  readonly degree: number
  readonly bootstrapTimeoutMs: number
  readonly iceAddresses: 'loopback' | 'private' | 'any'
  /** `--ice-servers` and the TURN credentials: see `turn-options.ts`. */
  readonly ice: IceOptions
  readonly reportingIntervalMs: number
  /** `--progress` (true), `--no-progress` (false), or neither (`undefined`: on when stderr is a terminal). */
  readonly progress: boolean | undefined
  readonly quiet: boolean
  readonly qr: boolean
  /** `--host`, `--secret`, `--seed`: see `remote-options.ts`. */
  readonly host: RemoteOptions['host']
  readonly secret: RemoteOptions['secret']
  readonly seed: RemoteOptions['seed']
  /** `--journal`, `--resume`, `--resume-failed`, `--joblog`, `--cache`: see `journal/record-options.ts`. */
  readonly record: RecordOptions
}

export interface ParseContext {
  /** The configuration file's defaults, already read (see `readConfigFile`). */
  readonly config: ConfigFile
  /** Printed by `--version`. */
  readonly version: string
}

const USAGE = `Usage: pando MODULE [ITEMS..] [OPTIONS]

Applies the function exported by MODULE to every item and writes one result line per item to standard
output, in input order. Messages go to standard error.

  MODULE   a .js, .cjs or .mjs file, relative or absolute, exporting either
           module.exports['/pando/1.0.0'] = function (item, callback) { … }   (the original form) or
           export default async function (item) { … }                          (the modern form)
  ITEMS    the items, each passed to the function as the string typed (1.0 stays 1.0);
           put items that start with '-' after '--'`

const EPILOGUE = `Defaults come from ~/.pando/config.json when it exists: a JSON object whose keys are
the option names, e.g. {"local": true, "retries": 3}. The command line overrides it
(--no-local turns a boolean off).

Exit status: 0 when every item was processed (or the reader of stdout closed it early);
1 when the function failed on an item more times than --retries allows; 2 for a usage
error; 130 when interrupted.`

/** Keys yargs adds that are not options. */
const NOT_OPTIONS = new Set(['_', '$0', '--', 'help', 'h', 'version', 'v'])

/**
 * Understands the command line, with `config`'s values as defaults.
 * @throws {UsageError} for an unknown option, a bad value, no module, or items that cannot be used
 */
export async function parseArguments(args: readonly string[], context: ParseContext): Promise<Command> {
  checkBooleanAssignments(args)
  const parser = buildParser(args, context.config)
  const argv = (await parser.parseAsync()) as Record<string, unknown>
  if (argv['help'] === true) return { kind: 'help', text: await parser.getHelp() }
  if (argv['version'] === true) return { kind: 'version', text: context.version }
  checkUnknownOptions(argv)
  const values = optionValues(argv)
  const positionals = [...(argv['_'] as unknown[]), ...((argv['--'] as unknown[] | undefined) ?? [])].map(
    String,
  )
  const [module, ...items] = positionals
  if (module === undefined) {
    throw new UsageError(
      "no MODULE given: run 'pando MODULE [ITEMS..]', e.g. 'pando examples/square.js --local 1 2 3' (see 'pando --help')",
    )
  }
  const stdin = values.stdin || values['sync-stdio']
  if (stdin && items.length > 0) {
    const flag = values['sync-stdio'] ? '--sync-stdio' : '--stdin'
    throw new UsageError(
      `${items.length === 1 ? 'an item is' : `${items.length} items are`} given as arguments, but ${flag} ` +
        `reads the items from standard input: drop the arguments or ${flag} (--no-${flag.slice(2)} if the ` +
        `configuration file sets it)`,
    )
  }
  return {
    kind: 'run',
    options: {
      module,
      items,
      stdin,
      local: values.local,
      syncStdio: values['sync-stdio'],
      retries: values.retries,
      maxResultChars: values['max-result-size'],
      onError: values['on-error'] as RunOptions['onError'],
      errorMarker: values['error-marker'],
      port: values.port,
      ...accessOptions(values, args),
      batchSize: values['batch-size'],
      heartbeatMs: values.heartbeat,
      itemTimeoutMs: values['item-timeout'],
      startIdle: values['start-idle'],
      volunteers: values.volunteers,
      workers: values.workers,
      degree: values.degree,
      bootstrapTimeoutMs: values['bootstrap-timeout'],
      iceAddresses: values['ice-addresses'] as RunOptions['iceAddresses'],
      ice: iceOptions(values),
      reportingIntervalMs: values['reporting-interval'] * 1000,
      progress:
        givenOnCommandLine(args, 'progress') ||
        givenOnCommandLine(args, 'no-progress') ||
        Object.hasOwn(context.config.values, 'progress')
          ? values.progress
          : undefined,
      quiet: values.quiet,
      qr: values.qr,
      ...remoteOptions(args, values),
      record: recordOptions(values),
    },
  }
}

function buildParser(args: readonly string[], config: ConfigFile): Argv {
  const defaults = { ...builtInDefaults(), ...config.values }
  let parser = yargs([...args])
    .scriptName('pando')
    .usage(USAGE)
    .epilogue(EPILOGUE)
    .locale('en')
    .parserConfiguration({
      'parse-numbers': false,
      'parse-positional-numbers': false,
      'populate--': true,
      'camel-case-expansion': false,
      'duplicate-arguments-array': false,
    })
    .help(false)
    .version(false)
    .exitProcess(false)
    .wrap(Math.min(100, yargs().terminalWidth() || 100))
    .fail((message: string | null, error: Error | null) => {
      throw new UsageError(
        describeParserFailure(message ?? error?.message ?? 'cannot parse the command line'),
      )
    })
  for (const name of OPTION_NAMES) {
    const spec = OPTION_TABLE[name]
    const fromConfig = Object.hasOwn(config.values, name) ? ' (from the configuration file)' : ''
    parser = parser.option(name, {
      describe: spec.describe,
      default: defaults[name],
      defaultDescription:
        'sensitive' in spec
          ? defaults[name] === ''
            ? 'none'
            : `set (from ${'env' in spec ? `$${spec.env} or ` : ''}the configuration file)`
          : 'shownDefault' in spec && fromConfig === ''
            ? spec.shownDefault
            : `${String(defaults[name])}${fromConfig}`,
      ...(spec.kind === 'boolean' ? { type: 'boolean' } : { requiresArg: true, nargs: 1 }),
      ...(spec.kind === 'choice' || spec.kind === 'text' ? { type: 'string' } : {}),
    })
  }
  return parser
    .option('help', { alias: 'h', type: 'boolean', describe: 'Show this help and exit.' })
    .option('version', { alias: 'v', type: 'boolean', describe: 'Show the version number and exit.' })
}

function describeParserFailure(message: string): string {
  const missing = /^Not enough arguments following: (.+)$/.exec(message)
  if (missing) return `--${missing[1]} needs a value, e.g. --${missing[1]} 3 (see 'pando --help')`
  return `${message} (see 'pando --help')`
}

/** yargs reads `--local=maybe` as false: refuse anything but true or false after a boolean's '='. */
function checkBooleanAssignments(args: readonly string[]): void {
  for (const arg of args) {
    if (arg === '--') return
    const match = /^--(no-)?([^=]+)=(.*)$/s.exec(arg)
    if (!match) continue
    const [, negated, name = '', value] = match
    if (!isOptionName(name) || OPTION_TABLE[name].kind !== 'boolean') continue
    if (negated !== undefined || (value !== 'true' && value !== 'false')) {
      throw new UsageError(`${arg} is not a valid value: write --${name}, --no-${name} or --${name}=false`)
    }
  }
}

function checkUnknownOptions(argv: Record<string, unknown>): void {
  const unknown = Object.keys(argv).filter((key) => !NOT_OPTIONS.has(key) && !isOptionName(key))
  const first = unknown[0]
  if (first !== undefined) {
    const flag = first.length === 1 ? `-${first}` : `--${first}`
    throw new UsageError(
      `unknown option ${flag}: run 'pando --help' to see the options (put an item that starts with '-' after '--')`,
    )
  }
}

function optionValues(argv: Record<string, unknown>): OptionValues {
  const values: Record<string, OptionValue> = {}
  for (const name of OPTION_NAMES) {
    const checked = checkOptionValue(name, argv[name], 'text')
    if (!checked.ok) throw new UsageError(`--${name} ${checked.reason} (see 'pando --help')`)
    values[name as OptionName] = checked.value
  }
  return values as OptionValues
}
