/**
 * Every option `pando` accepts, with its description and built-in default, in one table. The parser
 * (`parse-arguments.ts`), the configuration file (`config-file.ts`) and the help text all come from it, so
 * an option cannot exist in one place and not in the others.
 */

import { DEFAULT_MAX_RESULT_CHARS, MAX_TAB_WORKERS } from '@pando/protocol'

/** An on/off option: `--local`, `--no-local`, `--local=false`, or `"local": false` in the config file. */
export interface BooleanOptionSpec {
  readonly kind: 'boolean'
  readonly default: boolean
  readonly describe: string
  /** The default as the help shows it, when the run decides it (`auto`); `default` is then what it falls back to. */
  readonly shownDefault?: string
}

/** A whole number of 0 or more: `--retries 3`, `--retries=3`, or `"retries": 3` in the config file. */
export interface CountOptionSpec {
  readonly kind: 'count'
  readonly default: number
  readonly describe: string
  /** The smallest value accepted. @default 0 */
  readonly min?: number
  /** The largest value accepted. @default Number.MAX_SAFE_INTEGER */
  readonly max?: number
}

/** One of a few words: `--ice-addresses loopback`, or `"ice-addresses": "loopback"` in the config file. */
export interface ChoiceOptionSpec {
  readonly kind: 'choice'
  readonly choices: readonly string[]
  readonly default: string
  readonly describe: string
}

/** Free text: `--error-marker ERROR`, or a comma-separated list such as `--ice-servers stun:a,stun:b`. */
export interface TextOptionSpec {
  readonly kind: 'text'
  readonly default: string
  readonly describe: string
  /** A secret: the help shows whether it is set, never its value, and errors never quote it. */
  readonly sensitive?: boolean
  /** The environment variable that gives it, over the configuration file (`--secret`: `$PANDO_SECRET`). */
  readonly env?: string
}

export type OptionSpec = BooleanOptionSpec | CountOptionSpec | ChoiceOptionSpec | TextOptionSpec

/** The value an option holds, by its kind. */
export type OptionValue = boolean | number | string

export const OPTION_TABLE = {
  stdin: {
    kind: 'boolean',
    default: false,
    describe:
      'Read the items from standard input, one per line, instead of from ITEMS. A line ends at \\n, and a \\r ' +
      'just before it is dropped; an empty last line is not an item.',
  },
  local: {
    kind: 'boolean',
    default: false,
    describe: 'Process the items in this Node process, one at a time, with no server and no volunteers.',
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
  'on-error': {
    kind: 'choice',
    choices: ['abort', 'skip', 'mark'],
    default: 'abort',
    describe:
      'What to do with an item the function still fails on after --retries: abort (write the results before ' +
      'it, name it on stderr, exit 1), skip (name it on stderr and leave its line out), or mark (name it on ' +
      'stderr and write --error-marker in its place, so output lines stay aligned with input lines). With skip ' +
      'and mark, every other item is processed, and the run exits 1 if any failed.',
  },
  'error-marker': {
    kind: 'text',
    default: '',
    describe: 'The line written in place of a failed item with --on-error mark (an empty line by default).',
  },
  port: {
    kind: 'count',
    default: 5000,
    max: 65_535,
    describe: 'TCP port of the volunteer page and its WebSocket; 0 picks a free port.',
  },
  listen: {
    kind: 'text',
    default: '',
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
    describe:
      'Host names the server may be reached by, comma-separated, besides IP addresses, localhost and this ' +
      "machine's name (e.g. a name in DNS, or a reverse proxy's): requests for any other Host are refused, " +
      'against DNS rebinding.',
  },
  'batch-size': {
    kind: 'count',
    default: 0,
    describe:
      'Items sent to a volunteer per message. A volunteer holds at most two batches, so one travels while it ' +
      'computes the other; its Worker starts every item of a batch at once. 0 (the default) fits each ' +
      "volunteer's batch to its speed: about 20 ms of its work, from 1 item up to 4096 per Worker.",
  },
  heartbeat: {
    kind: 'count',
    default: 2_000,
    min: 100,
    describe:
      'Milliseconds between two pings of a volunteer; one that misses a ping is dropped and the items it held ' +
      'are given to others.',
  },
  'item-timeout': {
    kind: 'count',
    default: 60_000,
    describe:
      "Milliseconds a volunteer's Worker may run without finishing an item before it is stopped and replaced; " +
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
    default: 10,
    min: 1,
    describe:
      'Children a node of the WebRTC tree (the root or a tab) takes before it passes new volunteers on to them.',
  },
  'bootstrap-timeout': {
    kind: 'count',
    default: 10_000,
    min: 100,
    describe:
      'Milliseconds a WebRTC join may take before it is given up (and retried, or the tab falls back).',
  },
  'ice-addresses': {
    kind: 'choice',
    choices: ['loopback', 'private', 'any'],
    default: 'any',
    describe:
      'Which addresses the ICE candidates that tabs exchange may carry: loopback (127.0.0.0/8 and ::1), private ' +
      '(loopback plus LAN ranges and mDNS names), or any. Candidates outside are dropped by the relay.',
  },
  'ice-servers': {
    kind: 'text',
    default: '',
    describe:
      'STUN/TURN server URLs for WebRTC, comma-separated (e.g. stun:stun.example.org:3478); none on a LAN. ' +
      'A turn: server needs credentials: --turn-secret, or --turn-username and --turn-credential.',
  },
  'turn-secret': {
    kind: 'text',
    default: '',
    sensitive: true,
    env: 'PANDO_TURN_SECRET',
    describe:
      "The secret shared with the --ice-servers TURN servers (coturn's static-auth-secret with " +
      'use-auth-secret): each volunteer page is given its own credentials, made from it, valid for a day. ' +
      'Prefer $PANDO_TURN_SECRET or the configuration file: a command line is visible to other users.',
  },
  'turn-username': {
    kind: 'text',
    default: '',
    describe:
      'A fixed username for the --ice-servers TURN servers, given to every volunteer (with --turn-credential).',
  },
  'turn-credential': {
    kind: 'text',
    default: '',
    sensitive: true,
    describe:
      'The fixed credential (password) of --turn-username; every volunteer page can read it. Prefer ' +
      '--turn-secret, whose credentials expire.',
  },
  'reporting-interval': {
    kind: 'count',
    default: 3,
    min: 1,
    describe:
      'Seconds between two status reports of each volunteer, and between two statuses of the run (the ' +
      'dashboard, the progress line, DEBUG=pando-computing:monitoring).',
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
    describe:
      'Use the pando-server at HOST:PORT (started elsewhere with pando-server) instead of starting a server ' +
      'here: this process registers with it as the root of the run, with its secret.',
  },
  secret: {
    kind: 'text',
    default: '',
    sensitive: true,
    env: 'PANDO_SECRET',
    describe:
      'The secret of the pando-server given by --host. Prefer $PANDO_SECRET or "secret" in the ' +
      'configuration file: a command line is visible to other users of the machine.',
  },
  seed: {
    kind: 'text',
    default: '',
    describe:
      'A whole number (0 to 4294967295) that makes the ids this process gives reproducible: the join ' +
      "attempts' of its in-process server, the WebSocket volunteers' and its own in the tree (see " +
      'packages/cli/README.md).',
  },
  journal: {
    kind: 'text',
    default: '',
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
    describe:
      "Write a line per finished item to FILE in GNU parallel's --joblog columns (the volunteer as Host, " +
      'the item as Command); --resume appends to it.',
  },
  cache: {
    kind: 'text',
    default: '',
    describe:
      'Remember the results of the module on each item in the directory DIR, and reuse them in later runs.',
  },
  'cache-size': {
    kind: 'count',
    default: 256,
    min: 1,
    describe: 'Megabytes --cache may hold; the least recently used results go first.',
  },
} as const satisfies Record<string, OptionSpec>

export type OptionName = keyof typeof OPTION_TABLE

/** The value of every option, after the config file and the command line. */
export type OptionValues = {
  -readonly [K in OptionName]: (typeof OPTION_TABLE)[K]['kind'] extends 'boolean'
    ? boolean
    : (typeof OPTION_TABLE)[K]['kind'] extends 'count'
      ? number
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

/**
 * Checks a value given for an option: from the command line, where a count is the text typed
 * (`from: 'text'`), or from the config file, where it must be a JSON number (`from: 'json'`). Returns the
 * value, or the reason it is not acceptable.
 */
export function checkOptionValue(
  name: OptionName,
  value: unknown,
  from: 'text' | 'json',
): { ok: true; value: OptionValue } | { ok: false; reason: string } {
  const spec: OptionSpec = OPTION_TABLE[name]
  switch (spec.kind) {
    case 'boolean':
      return typeof value === 'boolean'
        ? { ok: true, value }
        : { ok: false, reason: `must be true or false, not ${show(value)}` }
    case 'count':
      return checkCount(
        spec,
        from === 'text' && typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value,
      )
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

function show(value: unknown): string {
  return JSON.stringify(value) ?? String(value)
}
