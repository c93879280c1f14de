import yargs, { type Argv } from 'yargs'
import { UsageError } from './errors.ts'
import {
  OPTION_NAMES,
  OPTION_TABLE,
  builtInDefaults,
  checkOptionValue,
  isOptionName,
  type OptionName,
  type OptionSpec,
  type OptionValue,
  type OptionValues,
} from './option-table.ts'
import type { ConfigFile } from './config-file.ts'
import type { DurationValue } from './duration.ts'
import { environmentVariable, readEnvironmentOptions, type Environment } from './environment-options.ts'
import { helpText, type ShownSetting } from './help-text.ts'
import { recordOptions, type RecordOptions } from './journal/record-options.ts'
import { accessOptions } from './access-options.ts'
import { trustOptions } from './trust-options.ts'
import { iceOptions, type IceOptions } from './turn-options.ts'
import { givenOnCommandLine, remoteOptions, type RemoteOptions } from './remote-options.ts'
import { checkHaltFits, parseHaltPolicy, type HaltPolicy } from './halt-policy.ts'
import { chooseItemInput } from './item-input.ts'
import { parseJobs } from './local-jobs.ts'
import { recordSeparator, type RecordSeparator } from './record-separator.ts'

/** A command that only prints a text (`--help`, `--version`), of `pando` and of `pando-server`. */
export type TextCommand =
  { readonly kind: 'help'; readonly text: string } | { readonly kind: 'version'; readonly text: string }

/** What to do, once the command line is understood. */
export type Command = TextCommand | { readonly kind: 'run'; readonly options: RunOptions }

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
  /** `--replicas` and `--max-replicas`: see `trust-options.ts`. */
  readonly replicas: number
  readonly maxReplicas: number
  readonly spotCheck: number
  /** `--replicas auto`. */
  readonly adaptive: boolean
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
  /**
   * `--item-timeout`: the item deadline (volunteers, `--local`, `--no-start-idle`), in ms (0 for none), or
   * relative to the median item time (see `ItemTimeoutRule` in `@pando/protocol`).
   */
  readonly itemTimeout: DurationValue
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
  /** `--arg-file FILE`: items come from FILE (see `item-input.ts`); undefined otherwise. */
  readonly argFile: string | undefined
  /** `--null`: records (items read, results written) end at NUL instead of newline. */
  readonly recordSeparator: RecordSeparator
  /** `--jobs`: items `--local` computes at once, each in a worker thread when more than 1. */
  readonly jobs: number
  /** `--tag`: each result is written after its item and a tab. */
  readonly tag: boolean
  /** `--dry-run`: say what the run would do, and do nothing. */
  readonly dryRun: boolean
  /** `--halt`: when to stop early; undefined for never. */
  readonly halt: HaltPolicy | undefined
}

export interface ParseContext {
  /** The configuration file's defaults, already read (see `readConfigFile`). */
  readonly config: ConfigFile
  /** The `PANDO_<OPTION>` variables override the configuration file (see `environment-options.ts`). @default {} */
  readonly env?: Environment
  /** Printed by `--version`. */
  readonly version: string
  /** Standard input is a terminal: without ITEMS it is not read unless `--stdin` says so. @default true */
  readonly stdinIsTerminal?: boolean
}

const USAGE = `Usage: pando MODULE [ITEMS..] [OPTIONS]

Applies the function exported by MODULE to every item and writes one result
line per item to standard output, in input order. Messages go to standard error.

  MODULE  a .js, .cjs or .mjs file, relative or absolute, exporting either
            module.exports['/pando/1.0.0'] = function (item, callback) { … }
          (the original form) or
            export default async function (item) { … }
          (the modern form)
  ITEMS   the items, each passed to the function as the string typed (1.0
          stays 1.0); put items that start with '-' after '--'. Without ITEMS,
          --stdin or --arg-file, a standard input that is not a terminal (a
          pipe) is read, one item per line`

const EPILOGUE = `Times take a unit: 250ms, 90s, 5m, 1h (a bare number keeps the option's unit).

Every option can be set by an environment variable, PANDO_ and its name in
capitals: PANDO_PORT=9000, PANDO_ITEM_TIMEOUT=90s, PANDO_QUIET=true. Defaults
come from the configuration file: --config FILE, else
$XDG_CONFIG_HOME/pando/config.json (~/.config/pando/config.json), else
~/.pando/config.json; a JSON object whose keys are the option names, e.g.
{"local": true, "retries": 3, "heartbeat": "2s"}. The command line overrides
the environment, which overrides the file (--no-local turns a boolean off).

Exit status: 0 when every item was processed (or the reader of stdout closed it
early); 1 when the function failed on an item more times than --retries allows
(also with --on-error skip or mark, and when --halt stopped the run after
failures); 2 for a usage error; 130 when interrupted.`

/** Keys yargs adds that are not options: its own, and the one-letter names of options. */
const NOT_OPTIONS = new Set([
  '_',
  '$0',
  '--',
  'help',
  'h',
  'version',
  'v',
  ...OPTION_NAMES.flatMap((name): string[] => {
    const spec: OptionSpec = OPTION_TABLE[name]
    return spec.alias === undefined ? [] : [spec.alias]
  }),
])

/**
 * Understands the command line, with the environment's `PANDO_<OPTION>` values, then `config`'s, as defaults.
 * @throws {UsageError} for an unknown option, a bad value, no module, or items that cannot be used
 */
export async function parseArguments(args: readonly string[], context: ParseContext): Promise<Command> {
  checkBooleanAssignments(args)
  const environment = readEnvironmentOptions(context.env ?? {})
  const parser = buildParser(withLongNull(args))
  const argv = (await parser.parseAsync()) as Record<string, unknown>
  if (argv['help'] === true) {
    return { kind: 'help', text: helpText(USAGE, EPILOGUE, shownSettings(environment, context.config)) }
  }
  if (argv['version'] === true) return { kind: 'version', text: context.version }
  checkUnknownOptions(argv)
  const values = optionValues(argv, { ...builtInDefaults(), ...context.config.values, ...environment })
  const [module, ...items] = positionals(argv)
  if (module === undefined) {
    throw new UsageError(
      "no MODULE given: run 'pando MODULE [ITEMS..]', e.g. 'pando examples/square.js --local 1 2 3' (see 'pando --help')",
    )
  }
  const chosen = (name: OptionName): boolean => isChosen(name, { args, environment, config: context.config })
  const { stdin, argFile } = chooseItemInput({
    items,
    stdin: values.stdin,
    stdinChosen: chosen('stdin'),
    syncStdio: values['sync-stdio'],
    argFile: values['arg-file'],
    stdinIsTerminal: context.stdinIsTerminal ?? true,
  })
  const halt = parseHaltPolicy(values.halt)
  checkHaltFits(halt, values['on-error'])
  checkNullFits(values)
  return {
    kind: 'run',
    options: {
      module,
      items,
      stdin,
      argFile,
      halt,
      progress: chosen('progress') ? values.progress : undefined,
      ...runOptionsFromValues(values, args),
    },
  }
}

/** The options of a run that follow from the option values alone (and the command line, for some). */
function runOptionsFromValues(
  values: OptionValues,
  args: readonly string[],
): Omit<RunOptions, 'module' | 'items' | 'stdin' | 'argFile' | 'halt' | 'progress'> {
  return {
    local: values.local,
    syncStdio: values['sync-stdio'],
    retries: values.retries,
    maxResultChars: values['max-result-size'],
    ...trustOptions(values),
    onError: values['on-error'] as RunOptions['onError'],
    errorMarker: values['error-marker'],
    port: values.port,
    ...accessOptions(values, args),
    batchSize: values['batch-size'],
    heartbeatMs: values.heartbeat,
    itemTimeout: values['item-timeout'],
    startIdle: values['start-idle'],
    volunteers: values.volunteers,
    workers: values.workers,
    degree: values.degree,
    bootstrapTimeoutMs: values['bootstrap-timeout'],
    iceAddresses: values['ice-addresses'] as RunOptions['iceAddresses'],
    ice: iceOptions(values),
    reportingIntervalMs: values['reporting-interval'],
    quiet: values.quiet,
    qr: values.qr,
    ...remoteOptions(args, values),
    record: recordOptions(values),
    recordSeparator: recordSeparator(values.null),
    jobs: parseJobs(values.jobs, values.local),
    tag: values.tag,
    dryRun: values['dry-run'],
  }
}

/** The module and the items: the positional arguments, with those after `--`. */
function positionals(argv: Record<string, unknown>): string[] {
  return [...(argv['_'] as unknown[]), ...((argv['--'] as unknown[] | undefined) ?? [])].map(String)
}

/**
 * Whether a boolean option was chosen anywhere (`--name` or `--no-name` typed, its environment variable, the
 * configuration file) rather than left to its built-in default.
 */
function isChosen(
  name: OptionName,
  from: {
    readonly args: readonly string[]
    readonly environment: Partial<OptionValues>
    readonly config: ConfigFile
  },
): boolean {
  return (
    givenOnCommandLine(from.args, name) ||
    givenOnCommandLine(from.args, `no-${name}`) ||
    Object.hasOwn(from.environment, name) ||
    Object.hasOwn(from.config.values, name)
  )
}

/** `--null` changes the records, which `--sync-stdio`'s peer does not exchange. */
function checkNullFits(values: OptionValues): void {
  if (values.null && values['sync-stdio']) {
    throw new UsageError(
      '--null cannot be used with --sync-stdio, whose peer exchanges JSON values, not records',
    )
  }
}

/** The parser of the command line alone: the defaults are layered after (see {@link optionValues}). */
function buildParser(args: readonly string[]): Argv {
  let parser = yargs([...args])
    .scriptName('pando')
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
    .fail((message: string | null, error: Error | null) => {
      throw new UsageError(
        describeParserFailure(message ?? error?.message ?? 'cannot parse the command line'),
      )
    })
  for (const name of OPTION_NAMES) {
    const spec: OptionSpec = OPTION_TABLE[name]
    parser = parser.option(name, {
      ...(spec.alias === undefined ? {} : { alias: spec.alias }),
      ...(spec.kind === 'boolean' ? { type: 'boolean' } : { type: 'string', requiresArg: true, nargs: 1 }),
    })
  }
  return parser
    .option('help', { alias: 'h', type: 'boolean' })
    .option('version', { alias: 'v', type: 'boolean' })
}

/** What the help shows as the defaults that the environment and the configuration file set. */
function shownSettings(
  environment: Partial<OptionValues>,
  config: ConfigFile,
): Partial<Record<OptionName, ShownSetting>> {
  const settings: Partial<Record<OptionName, ShownSetting>> = {}
  for (const name of OPTION_NAMES) {
    const fromEnvironment = environment[name]
    const fromConfig = config.values[name]
    if (fromEnvironment !== undefined) {
      settings[name] = { value: fromEnvironment, from: `$${environmentVariable(name)}` }
    } else if (fromConfig !== undefined) {
      settings[name] = { value: fromConfig, from: 'the configuration file' }
    }
  }
  return settings
}

function describeParserFailure(message: string): string {
  const missing = /^Not enough arguments following: (.+)$/.exec(message)
  if (missing) return `--${missing[1]} needs a value, e.g. --${missing[1]} 3 (see 'pando --help')`
  return `${message} (see 'pando --help')`
}

/**
 * `-0` as `--null`: yargs would read it as the number 0, an item. Only before `--`, where items start.
 */
function withLongNull(args: readonly string[]): readonly string[] {
  const end = args.indexOf('--')
  return args.map((arg, at) => (arg === '-0' && (end === -1 || at < end) ? '--null' : arg))
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

/** Each option's value: typed on the command line, else from `defaults` (already checked). */
function optionValues(argv: Record<string, unknown>, defaults: OptionValues): OptionValues {
  const values: Record<string, OptionValue> = {}
  for (const name of OPTION_NAMES) {
    if (argv[name] === undefined) {
      values[name] = defaults[name]
      continue
    }
    const checked = checkOptionValue(name, argv[name], 'text')
    if (!checked.ok) throw new UsageError(`--${name} ${checked.reason} (see 'pando --help')`)
    values[name] = checked.value
  }
  return values as OptionValues
}
