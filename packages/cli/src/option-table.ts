/**
 * Every option `pando` accepts, with its description and built-in default, in one table. The parser
 * (`parse-arguments.ts`), the environment variables (`environment-options.ts`), the configuration file
 * (`config-file.ts`) and the help (`help-text.ts`) all come from it, so an option cannot exist in one place
 * and not in the others.
 */

import {
  DEFAULT_BOOTSTRAP_TIMEOUT_MS,
  DEFAULT_DEGREE,
  DEFAULT_HEARTBEAT_MS,
  DEFAULT_ITEM_TIMEOUT_MS,
  DEFAULT_MAX_RESULT_CHARS,
  DEFAULT_PORT,
  DEFAULT_REPORTING_INTERVAL_MS,
  MAX_TAB_WORKERS,
  RELATIVE_TIMEOUT_FLOOR_MS,
  RELATIVE_TIMEOUT_SAMPLES,
  RELATIVE_TIMEOUT_WARMUP_MS,
} from '@pando/protocol'
import { CONFIG_FILES_TEXT } from './constants.ts'
import { formatDuration, parseDuration, type DurationUnit, type DurationValue } from './duration.ts'

/** What every kind of option may say besides its value. */
interface OptionSpecBase {
  readonly describe: string
  /** A one-letter name besides the long one: `-q` for `--quiet`, `-0` for `--null` as GNU parallel's. */
  readonly alias?: string
  /** The value's name in the help and the README's table: `--port N`, `--journal FILE`. */
  readonly valueName?: string
  /** The default as the help shows it, when the run decides it (`auto`); `default` is then what it falls back to. */
  readonly shownDefault?: string
}

/** An on/off option: `--local`, `--no-local`, `--local=false`, or `"local": false` in the config file. */
export interface BooleanOptionSpec extends OptionSpecBase {
  readonly kind: 'boolean'
  readonly default: boolean
}

/** A whole number of 0 or more: `--retries 3`, `--retries=3`, or `"retries": 3` in the config file. */
export interface CountOptionSpec extends OptionSpecBase {
  readonly kind: 'count'
  readonly default: number
  /** The smallest value accepted. @default 0 */
  readonly min?: number
  /** The largest value accepted. @default Number.MAX_SAFE_INTEGER */
  readonly max?: number
}

/**
 * A time: `--heartbeat 2s`, `--heartbeat 1500ms`, `--heartbeat 1500` (a bare number in `bareUnit`, what the
 * option always meant), or `"heartbeat": "2s"` / `"heartbeat": 1500` in the config file. Held in ms.
 */
export interface DurationOptionSpec extends OptionSpecBase {
  readonly kind: 'duration'
  /** In ms. */
  readonly default: number
  /** What a number without a unit means. */
  readonly bareUnit: DurationUnit
  /** The shortest accepted, in ms (0 is always accepted when it is the default's "off"). @default 0 */
  readonly min?: number
  /** Whether a percentage of the median item time is accepted (`300%`). */
  readonly relative?: boolean
}

/** One of a few words: `--ice-addresses loopback`, or `"ice-addresses": "loopback"` in the config file. */
export interface ChoiceOptionSpec extends OptionSpecBase {
  readonly kind: 'choice'
  readonly choices: readonly string[]
  readonly default: string
}

/** Free text: `--error-marker ERROR`, or a comma-separated list such as `--ice-servers stun:a,stun:b`. */
export interface TextOptionSpec extends OptionSpecBase {
  readonly kind: 'text'
  readonly default: string
  /** A secret: the help shows whether it is set, never its value, and errors never quote it. */
  readonly sensitive?: boolean
}

export type OptionSpec =
  BooleanOptionSpec | CountOptionSpec | DurationOptionSpec | ChoiceOptionSpec | TextOptionSpec

/** The value an option holds, by its kind. */
export type OptionValue = boolean | number | string | DurationValue

/** Where an option's value was given: the command line, an environment variable, the configuration file. */
export type OptionSource = 'text' | 'environment' | 'json'

export const OPTION_TABLE = {
  stdin: {
    kind: 'boolean',
    default: false,
    describe:
      'Read the items from standard input, one per line, instead of from ITEMS. A line ends at \\n, and a \\r ' +
      'just before it is dropped; an empty last line is not an item. Without ITEMS or --arg-file, standard ' +
      'input is read anyway when it is not a terminal (a pipe, a file); --no-stdin turns that off.',
  },
  local: {
    kind: 'boolean',
    default: false,
    alias: 'l',
    describe:
      'Process the items in this Node process, one at a time (--jobs N at a time), with no server and no ' +
      'volunteers.',
  },
  'sync-stdio': {
    kind: 'boolean',
    default: false,
    describe:
      "Exchange items and results with a peer over stdin/stdout in the original Pando's pull-sync line " +
      'protocol, so pando processes can be chained with backpressure. Implies --stdin.',
  },
  retries: {
    kind: 'count',
    default: 2,
    describe:
      'How many more times (0 or more) an item is tried after the function failed on it. When they are spent, pando ' +
      'prints the error and stops with status 1.',
  },
  'max-result-size': {
    kind: 'count',
    default: DEFAULT_MAX_RESULT_CHARS,
    min: 1,
    describe:
      'The largest result kept, in characters (1 MiB by default). A larger result is not kept: its item fails ' +
      'with a ResultTooLargeError (then --retries and --on-error apply), so no volunteer can fill the memory ' +
      'of this process. Raise it for a function whose results are larger.',
  },
  replicas: {
    kind: 'text',
    default: '1',
    valueName: 'N',
    describe:
      'How many distinct volunteers compute each item (1 to 32), or auto. With 2 or more, an item is written ' +
      'only once that many agree on its output line; on a disagreement it is computed by more volunteers ' +
      'until one line holds a strict majority of at least --replicas + 1 answers, and a volunteer outvoted ' +
      'again and again is excluded. Each item then costs about --replicas times the work. auto: a volunteer ' +
      'that agreed with others on 10 items and was never outvoted computes items alone, re-checked one time ' +
      'in ten; the others need 2 agreeing answers. Not with --local.',
  },
  'max-replicas': {
    kind: 'count',
    default: 0,
    shownDefault: '0 (2N + 1)',
    describe:
      'The most volunteers that compute one item when they disagree (at least --replicas, at most 63; 0: ' +
      'twice --replicas, plus one). Past it the item fails with a DisagreementError naming the volunteers ' +
      'and what each gave, and --on-error applies.',
  },
  'spot-check': {
    kind: 'text',
    default: '0',
    valueName: 'P',
    describe:
      'The share of items (0 to 1, e.g. 0.05) that this process also computes itself, as ground truth: a ' +
      "volunteer whose result differs from this process's own is excluded at once. It costs this process " +
      'that share of the work. Not with --local or --no-start-idle.',
  },
  'on-error': {
    kind: 'choice',
    choices: ['abort', 'skip', 'mark'],
    default: 'abort',
    valueName: 'MODE',
    describe:
      'What to do with an item the function still fails on after --retries: abort (write the results before ' +
      'it, name it on stderr, exit 1), skip (name it on stderr and leave its line out), or mark (name it on ' +
      'stderr and write --error-marker in its place, so output lines stay aligned with input lines). With skip ' +
      'and mark, every other item is processed, and the run exits 1 if any failed.',
  },
  'error-marker': {
    kind: 'text',
    default: '',
    valueName: 'TEXT',
    shownDefault: "''",
    describe: 'The line written in place of a failed item with --on-error mark (an empty line by default).',
  },
  port: {
    kind: 'count',
    default: DEFAULT_PORT,
    max: 65_535,
    alias: 'p',
    describe: 'TCP port of the volunteer page and its WebSocket; 0 picks a free port.',
  },
  listen: {
    kind: 'text',
    default: '',
    valueName: 'ADDRESS',
    shownDefault: '127.0.0.1 with --volunteers, else every interface',
    describe:
      'The address (interface) to listen on: 127.0.0.1 for this machine only, 0.0.0.0 or :: for every ' +
      'interface. Unset, it is 127.0.0.1 with --volunteers (tabs of this machine only), every interface ' +
      'otherwise (volunteers of the LAN). The printed URLs follow it.',
  },
  open: {
    kind: 'boolean',
    default: false,
    describe:
      'Serve without the access token: anyone who can reach the port may open the page, the dashboard and ' +
      "the run's files and join (a public demo). By default the printed URLs carry a random ?token= that " +
      'every page, file, feed and socket requires.',
  },
  'allow-host': {
    kind: 'text',
    default: '',
    valueName: 'NAMES',
    shownDefault: 'none',
    describe:
      'Host names the server may be reached by, comma-separated, besides IP addresses, localhost and this ' +
      "machine's name (e.g. a name in DNS, or a reverse proxy's): requests for any other Host are refused, " +
      'against DNS rebinding.',
  },
  'batch-size': {
    kind: 'count',
    default: 0,
    shownDefault: '0 (adaptive)',
    describe:
      'Items sent to a volunteer per message. A volunteer holds at most two batches, so one travels while it ' +
      'computes the other; its Worker starts every item of a batch at once. 0 (the default) fits each ' +
      "volunteer's batch to its speed: about 20 ms of its work, from 1 item up to 4096 per Worker.",
  },
  heartbeat: {
    kind: 'duration',
    default: DEFAULT_HEARTBEAT_MS,
    bareUnit: 'ms',
    min: 100,
    describe:
      'Time between two pings of a volunteer (2s, 1500ms; a bare number is ms); one that misses a ping is ' +
      'dropped and the items it held are given to others.',
  },
  'item-timeout': {
    kind: 'duration',
    default: DEFAULT_ITEM_TIMEOUT_MS,
    bareUnit: 'ms',
    relative: true,
    describe:
      "How long a volunteer's Worker may run without finishing an item before it is stopped and replaced " +
      '(90s, 2m; a bare number is ms). 300% is three times the median time of the items measured so far ' +
      'where they run (in each tab, and in this process), ' +
      `${RELATIVE_TIMEOUT_FLOOR_MS / 1000} s at least (${RELATIVE_TIMEOUT_WARMUP_MS / 1000} s until ` +
      `${RELATIVE_TIMEOUT_SAMPLES} items are measured); ` +
      'the item it was stuck on fails with an ItemTimeoutError (then --retries and --on-error apply). 0 turns ' +
      'it off. In this process (--local, --no-start-idle), an item whose promise or callback has not settled ' +
      'by then fails the same way; a synchronous endless loop here cannot be interrupted.',
  },
  'start-idle': {
    kind: 'boolean',
    default: true,
    describe:
      'Leave the computing to volunteers; with --no-start-idle this process computes too, beside them.',
  },
  degree: {
    kind: 'count',
    default: DEFAULT_DEGREE,
    min: 1,
    describe:
      'Children a node of the WebRTC tree (the root or a tab) takes before it passes new volunteers on to them.',
  },
  'bootstrap-timeout': {
    kind: 'duration',
    default: DEFAULT_BOOTSTRAP_TIMEOUT_MS,
    bareUnit: 'ms',
    min: 100,
    describe:
      'How long a WebRTC join may take before it is given up (and retried, or the tab falls back); a bare ' +
      'number is ms.',
  },
  'ice-addresses': {
    kind: 'choice',
    choices: ['loopback', 'private', 'any'],
    default: 'any',
    valueName: 'RANGE',
    describe:
      'Which addresses the ICE candidates that tabs exchange may carry: loopback (127.0.0.0/8 and ::1), private ' +
      '(loopback plus LAN ranges and mDNS names), or any. Candidates outside are dropped by the relay.',
  },
  'ice-servers': {
    kind: 'text',
    default: '',
    valueName: 'URLS',
    shownDefault: 'none',
    describe:
      'STUN/TURN server URLs for WebRTC, comma-separated (e.g. stun:stun.example.org:3478); none on a LAN. ' +
      'A turn: server needs credentials: --turn-secret, or --turn-username and --turn-credential.',
  },
  'turn-secret': {
    kind: 'text',
    default: '',
    shownDefault: 'none',
    valueName: 'S',
    sensitive: true,
    describe:
      "The secret shared with the --ice-servers TURN servers (coturn's static-auth-secret with " +
      'use-auth-secret): each volunteer page is given its own credentials, made from it, valid for a day. ' +
      'Prefer $PANDO_TURN_SECRET or the configuration file: a command line is visible to other users.',
  },
  'turn-username': {
    kind: 'text',
    default: '',
    shownDefault: 'none',
    valueName: 'U',
    describe:
      'A fixed username for the --ice-servers TURN servers, given to every volunteer (with --turn-credential).',
  },
  'turn-credential': {
    kind: 'text',
    default: '',
    shownDefault: 'none',
    valueName: 'C',
    sensitive: true,
    describe:
      'The fixed credential (password) of --turn-username; every volunteer page can read it. Prefer ' +
      '--turn-secret, whose credentials expire.',
  },
  'reporting-interval': {
    kind: 'duration',
    default: DEFAULT_REPORTING_INTERVAL_MS,
    bareUnit: 's',
    min: 1_000,
    describe:
      'Time between two status reports of each volunteer, and between two statuses of the run (the ' +
      'dashboard, the progress line, DEBUG=pando-computing:monitoring); a bare number is seconds.',
  },
  progress: {
    kind: 'boolean',
    default: false,
    shownDefault: 'auto',
    describe:
      'The progress line on stderr, and a summary line at the end (items, time, rate, volunteers, retries, ' +
      'failures): --progress shows them even when stderr is not a terminal, --no-progress never; without ' +
      'either, they are shown when stderr is a terminal.',
  },
  quiet: {
    kind: 'boolean',
    default: false,
    alias: 'q',
    describe:
      'No progress line and no notices of volunteers joining and leaving; errors and URLs are still shown.',
  },
  qr: {
    kind: 'boolean',
    default: false,
    describe: 'Print a QR code of the volunteer URL on stderr, for phones.',
  },
  volunteers: {
    kind: 'count',
    default: 0,
    describe:
      'Open this many headless Chromium tabs as volunteers on this machine ($PANDO_CHROMIUM, else ' +
      'chromium, chromium-browser or google-chrome on the PATH, else where they are usually installed).',
  },
  workers: {
    kind: 'count',
    default: 0,
    max: MAX_TAB_WORKERS,
    describe:
      `Workers each --volunteers tab runs (1 to ${MAX_TAB_WORKERS}); 0, the default, leaves it to the tab: ` +
      "one less than the machine's cores, at least 1.",
  },
  host: {
    kind: 'text',
    default: '',
    valueName: 'HOST:PORT',
    shownDefault: 'none',
    describe:
      'Use the pando-server at HOST:PORT (started elsewhere with pando-server) instead of starting a server ' +
      'here: this process registers with it as the root of the run, with its secret.',
  },
  secret: {
    kind: 'text',
    default: '',
    valueName: 'S',
    shownDefault: 'none',
    sensitive: true,
    describe:
      'The secret of the pando-server given by --host. Prefer $PANDO_SECRET or "secret" in the ' +
      'configuration file: a command line is visible to other users of the machine.',
  },
  seed: {
    kind: 'text',
    default: '',
    valueName: 'N',
    shownDefault: 'none',
    describe:
      'A whole number (0 to 4294967295) that makes the ids this process gives reproducible: the join ' +
      "attempts' of its in-process server, the WebSocket volunteers' and its own in the tree.",
  },
  journal: {
    kind: 'text',
    default: '',
    valueName: 'FILE',
    shownDefault: 'none',
    describe:
      'Record the run in FILE (the module, the options that change results, each finished item), so that ' +
      '--resume can finish it after a crash. FILE must not exist unless --resume is given.',
  },
  resume: {
    kind: 'boolean',
    default: false,
    describe:
      'Go on with the run of --journal FILE: its finished items are not computed again, and only what it had ' +
      'not yet written goes to stdout (append it: >> out). The module, options and input must be the same.',
  },
  'resume-failed': {
    kind: 'boolean',
    default: false,
    describe: 'Like --resume, but the items that had failed are computed again.',
  },
  joblog: {
    kind: 'text',
    default: '',
    valueName: 'FILE',
    shownDefault: 'none',
    describe:
      "Write a line per finished item to FILE in GNU parallel's --joblog columns (the volunteer as Host, " +
      'the item as Command); --resume appends to it.',
  },
  cache: {
    kind: 'text',
    default: '',
    valueName: 'DIR',
    shownDefault: 'none',
    describe:
      'Remember the results of the module on each item in the directory DIR, and reuse them in later runs.',
  },
  'cache-size': {
    kind: 'count',
    default: 256,
    valueName: 'MB',
    min: 1,
    describe: 'Megabytes --cache may hold; the least recently used results go first.',
  },
  config: {
    kind: 'text',
    default: '',
    alias: 'c',
    valueName: 'FILE',
    shownDefault: CONFIG_FILES_TEXT,
    describe:
      'Read the defaults of the options from FILE, a JSON object keyed by option name, instead of from the ' +
      'usual configuration file.',
  },
  null: {
    kind: 'boolean',
    default: false,
    alias: '0',
    describe:
      'Records end at NUL (\\0) instead of newline, as with GNU parallel -0: items read from stdin or ' +
      '--arg-file may contain newlines, and each result is written followed by a NUL (a result that contains ' +
      'a NUL fails its item).',
  },
  'arg-file': {
    kind: 'text',
    default: '',
    shownDefault: 'none',
    alias: 'a',
    valueName: 'FILE',
    describe:
      'Read the items from FILE, one per line (per record with --null), instead of from ITEMS or standard ' +
      'input; - is standard input.',
  },
  jobs: {
    kind: 'text',
    default: '1',
    alias: 'j',
    valueName: 'N',
    describe:
      'With --local: how many items are computed at once, each in its own worker thread (N of them); 0 or ' +
      "auto for one per core. 1 computes in this process's own thread. Results keep the input order.",
  },
  tag: {
    kind: 'boolean',
    default: false,
    describe: 'Write each result after its item and a tab (ITEM\\tRESULT), as GNU parallel --tag.',
  },
  'dry-run': {
    kind: 'boolean',
    default: false,
    describe:
      'Print what the run would do (module, items, where they are computed, the URL volunteers would open) ' +
      'on standard output, then exit 0: nothing is bundled or computed, no port is opened.',
  },
  halt: {
    kind: 'text',
    default: 'never',
    valueName: 'WHEN,WHY',
    describe:
      'Stop early, as GNU parallel --halt WHEN,WHY: WHEN is soon (read no new item, finish and write those ' +
      'read) or now (write nothing more); WHY is fail=N (items failed: needs --on-error skip or mark, but for ' +
      'fail=1), success=N (items with a result) or done=N (both), N a count or a percentage (fail=10%). Items ' +
      'are counted as written, in input order. Also never, 0, 1, 2, -1, -2 and N% as in GNU parallel.',
  },
} as const satisfies Record<string, OptionSpec>

export type OptionName = keyof typeof OPTION_TABLE

/** The value of every option, after the config file, the environment and the command line. */
export type OptionValues = {
  -readonly [K in OptionName]: (typeof OPTION_TABLE)[K]['kind'] extends 'boolean'
    ? boolean
    : (typeof OPTION_TABLE)[K]['kind'] extends 'count'
      ? number
      : (typeof OPTION_TABLE)[K]['kind'] extends 'duration'
        ? (typeof OPTION_TABLE)[K] extends { relative: true }
          ? DurationValue
          : number
        : string
}

export const OPTION_NAMES = Object.keys(OPTION_TABLE) as OptionName[]

export function isOptionName(name: string): name is OptionName {
  return Object.hasOwn(OPTION_TABLE, name)
}

/** The built-in defaults, before the config file. */
export function builtInDefaults(): OptionValues {
  const values: Record<string, OptionValue> = {}
  for (const name of OPTION_NAMES) values[name] = OPTION_TABLE[name].default
  return values as OptionValues
}

/** The option's flags as the help and the README's table write them: `-p, --port N`, `--local`. */
export function optionFlags(name: OptionName): string {
  const spec: OptionSpec = OPTION_TABLE[name]
  const short = spec.alias === undefined ? '' : `-${spec.alias}, `
  return spec.kind === 'boolean' ? `${short}--${name}` : `${short}--${name} ${valueName(spec)}`
}

function valueName(spec: OptionSpec): string {
  if (spec.valueName !== undefined) return spec.valueName
  switch (spec.kind) {
    case 'count':
      return 'N'
    case 'duration':
      return 'TIME'
    case 'choice':
      return spec.choices.join('|')
    case 'boolean':
    case 'text':
      return 'VALUE'
  }
}

/** An option's built-in default as the help and the README's table show it. */
export function shownDefault(name: OptionName): string {
  const spec: OptionSpec = OPTION_TABLE[name]
  if (spec.shownDefault !== undefined) return spec.shownDefault
  return showValue(name, spec.default)
}

/** A value of an option for people (a secret is never shown: see {@link TextOptionSpec.sensitive}). */
export function showValue(name: OptionName, value: OptionValue): string {
  const spec: OptionSpec = OPTION_TABLE[name]
  if (spec.kind === 'duration') return formatDuration(value as DurationValue)
  if (spec.kind === 'text' && spec.sensitive === true) return 'set'
  return value === '' ? "''" : String(value)
}

/**
 * Checks a value given for an option: from the command line (`text`) or an environment variable
 * (`environment`), where it is the text typed, or from the config file, where a count must be a JSON number
 * and a duration a number (in the option's bare unit) or text (`json`). Returns the value, or the reason it
 * is not acceptable.
 */
export function checkOptionValue(
  name: OptionName,
  value: unknown,
  from: OptionSource,
): { ok: true; value: OptionValue } | { ok: false; reason: string } {
  const spec: OptionSpec = OPTION_TABLE[name]
  switch (spec.kind) {
    case 'boolean':
      if (from === 'environment' && typeof value === 'string' && /^(true|false|1|0)$/.test(value)) {
        return { ok: true, value: value === 'true' || value === '1' }
      }
      return typeof value === 'boolean'
        ? { ok: true, value }
        : { ok: false, reason: `must be true or false, not ${show(value)}` }
    case 'count':
      return checkCount(
        spec,
        from !== 'json' && typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value,
      )
    case 'duration':
      return checkDuration(spec, value, from)
    case 'choice':
      return typeof value === 'string' && spec.choices.includes(value)
        ? { ok: true, value }
        : { ok: false, reason: `must be one of ${spec.choices.join(', ')}, not ${show(value)}` }
    case 'text':
      if (typeof value === 'string') return { ok: true, value }
      return {
        ok: false,
        reason: spec.sensitive === true ? 'must be text' : `must be text, not ${show(value)}`,
      }
  }
}

function checkCount(
  spec: CountOptionSpec,
  count: unknown,
): { ok: true; value: number } | { ok: false; reason: string } {
  const min = spec.min ?? 0
  const max = spec.max ?? Number.MAX_SAFE_INTEGER
  if (typeof count === 'number' && Number.isSafeInteger(count) && count >= min && count <= max) {
    return { ok: true, value: count }
  }
  const range = spec.max === undefined ? `of ${min} or more` : `from ${min} to ${max}`
  return { ok: false, reason: `must be a whole number ${range}, not ${show(count)}` }
}

const BARE_UNIT_NAMES = { ms: 'ms', s: 'seconds', m: 'minutes', h: 'hours' } as const

function checkDuration(
  spec: DurationOptionSpec,
  value: unknown,
  from: OptionSource,
): { ok: true; value: DurationValue } | { ok: false; reason: string } {
  const relative = spec.relative === true
  const parsed =
    typeof value === 'string'
      ? parseDuration(value, spec.bareUnit, relative)
      : from === 'json' && typeof value === 'number' && value >= 0
        ? parseDuration(String(value), spec.bareUnit, relative)
        : undefined
  const min = spec.min ?? 0
  if (parsed !== undefined && typeof parsed !== 'number' && parsed.percent > 0)
    return { ok: true, value: parsed }
  if (typeof parsed === 'number' && Number.isSafeInteger(parsed) && parsed >= min) {
    return { ok: true, value: parsed }
  }
  const examples = relative ? '90s, 1500ms, 2m, 1h or 300%' : '90s, 1500ms, 2m or 1h'
  const least = min > 0 ? ` of ${formatDuration(min)} or more` : ''
  return {
    ok: false,
    reason:
      `must be a time${least} such as ${examples} (a bare number is ${BARE_UNIT_NAMES[spec.bareUnit]}), ` +
      `not ${show(value)}`,
  }
}

function show(value: unknown): string {
  return JSON.stringify(value) ?? String(value)
}
