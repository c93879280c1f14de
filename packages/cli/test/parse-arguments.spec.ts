import { describe, expect, it } from 'vitest'
import type { ConfigFile } from '../src/config-file.ts'
import { parseArguments, type Command, type RunOptions } from '../src/parse-arguments.ts'

const NO_CONFIG: ConfigFile = { path: '/home/u/.pando/config.json', values: {} }

function parse(args: string[], config: ConfigFile = NO_CONFIG): Promise<Command> {
  return parseArguments(args, { config, version: '1.2.3' })
}

async function options(args: string[], config?: ConfigFile): Promise<RunOptions> {
  const command = await parse(args, config)
  if (command.kind !== 'run') throw new Error(`expected a run, got ${command.kind}`)
  return command.options
}

describe('parseArguments', () => {
  it('uses the built-in defaults', async () => {
    expect(await options(['m.js'])).toEqual({
      module: 'm.js',
      items: [],
      stdin: false,
      local: false,
      syncStdio: false,
      retries: 2,
      maxResultChars: 1_048_576,
      replicas: 1,
      maxReplicas: 3,
      spotCheck: 0,
      adaptive: false,
      onError: 'abort',
      errorMarker: '',
      port: 5000,
      listen: undefined,
      open: false,
      allowHosts: [],
      batchSize: 0,
      heartbeatMs: 2000,
      itemTimeout: 60_000,
      startIdle: true,
      volunteers: 0,
      workers: 0,
      degree: 10,
      bootstrapTimeoutMs: 10_000,
      iceAddresses: 'any',
      ice: { iceServers: [], turnSecret: undefined },
      reportingIntervalMs: 3000,
      progress: undefined,
      quiet: false,
      qr: false,
      host: undefined,
      secret: undefined,
      seed: undefined,
      record: {
        journal: undefined,
        resume: 'no',
        joblog: undefined,
        cache: undefined,
        cacheMaxBytes: 256 * 1024 * 1024,
      },
      argFile: undefined,
      recordSeparator: '\n',
      jobs: 1,
      tag: false,
      dryRun: false,
      halt: undefined,
    })
  })

  it('keeps items exactly as typed, options anywhere, items starting with - after --', async () => {
    const parsed = await options(['m.js', '1.0', '--local', '007', '0x10', '1e3', '--', '--x', '-y'])
    expect(parsed.items).toEqual(['1.0', '007', '0x10', '1e3', '--x', '-y'])
    expect(parsed.local).toBe(true)
  })

  it('reads every option', async () => {
    expect(await options(['--sync-stdio', '--local', '--retries', '0', 'm.js'])).toMatchObject({
      stdin: true,
      syncStdio: true,
      local: true,
      retries: 0,
    })
    expect(await options(['m.js', '--stdin', '--retries=7'])).toMatchObject({ stdin: true, retries: 7 })
  })

  it('reads --item-timeout in ms, 0 turning it off, and says in the help what it does in this process', async () => {
    expect((await options(['m.js', '--item-timeout', '1500'])).itemTimeout).toBe(1_500)
    expect((await options(['m.js', '--item-timeout=0'])).itemTimeout).toBe(0)
    await expect(parse(['m.js', '--item-timeout', '-1'])).rejects.toThrow('--item-timeout')
    const help = await parse(['--help'])
    if (help.kind !== 'help') throw new Error('expected help')
    expect(help.text.replace(/\s+/g, ' ')).toContain(
      'In this process (--local, --no-start-idle), an item whose promise or callback has not settled by then ' +
        'fails the same way; a synchronous endless loop here cannot be interrupted.',
    )
  })

  it('reads --progress, --no-progress, or neither (automatic), the config file counting as given', async () => {
    expect((await options(['m.js'])).progress).toBeUndefined()
    expect((await options(['m.js', '--progress'])).progress).toBe(true)
    expect((await options(['m.js', '--no-progress'])).progress).toBe(false)
    expect((await options(['m.js', '--progress=false'])).progress).toBe(false)
    const config = { ...NO_CONFIG, values: { progress: true } }
    expect((await options(['m.js'], config)).progress).toBe(true)
    expect((await options(['m.js', '--no-progress'], config)).progress).toBe(false)
    expect(((await parse(['--help'])) as { text: string }).text).toMatch(
      /\n {2}--progress {2}\[default: auto\]\n/,
    )
  })

  it('takes defaults from the config file, and lets the command line override them', async () => {
    const config: ConfigFile = { path: NO_CONFIG.path, values: { local: true, retries: 5, stdin: true } }
    expect(await options(['m.js'], config)).toMatchObject({ local: true, retries: 5, stdin: true })
    expect(
      await options(['m.js', '--no-local', '--local=false', '--retries', '1', '--no-stdin'], config),
    ).toMatchObject({ local: false, retries: 1, stdin: false })
  })

  it('answers --help and --version', async () => {
    const help = await parse(['--help'])
    expect(help.kind).toBe('help')
    expect(await parse(['-v'])).toEqual({ kind: 'version', text: '1.2.3' })
  })

  it('shows each option with its default in the help, from the config file when it sets one', async () => {
    const help = await parse(['-h'], { path: NO_CONFIG.path, values: { retries: 4 } })
    if (help.kind !== 'help') throw new Error('expected help')
    for (const option of ['--stdin', '--local', '--sync-stdio', '--retries', '--help', '--version']) {
      expect(help.text).toContain(option)
    }
    expect(help.text).toContain('[default: 4 (from the configuration file)]')
  })

  it.each([
    [[], /^no MODULE given: run 'pando MODULE \[ITEMS\.\.\]'/],
    [['m.js', '--bogus'], /^unknown option --bogus: run 'pando --help' to see the options/],
    [['m.js', '-x'], /^unknown option -x:/],
    [['m.js', '--retries', '-1'], /^--retries must be a whole number of 0 or more, not "-1"/],
    [['m.js', '--retries', 'abc'], /^--retries must be a whole number of 0 or more, not "abc"/],
    [['m.js', '--retries'], /^--retries needs a value, e.g. --retries 3/],
    [
      ['m.js', '--local=yes'],
      /^--local=yes is not a valid value: write --local, --no-local or --local=false$/,
    ],
    [
      ['m.js', '--stdin', '1'],
      /^an item is given as arguments, but --stdin reads the items from standard input/,
    ],
    [['m.js', '--sync-stdio', '1', '2'], /^2 items are given as arguments, but --sync-stdio reads/],
  ])('refuses %j', async (args, message) => {
    await expect(parse(args)).rejects.toThrow(message)
    await expect(parse(args)).rejects.toMatchObject({ name: 'UsageError', exitCode: 2 })
  })
})

describe('parseArguments: --listen, --open, --allow-host', () => {
  it('listens on loopback with --volunteers, on every interface otherwise, unless --listen says', async () => {
    expect((await options(['m.js'])).listen).toBeUndefined()
    expect((await options(['m.js', '--volunteers', '2'])).listen).toBe('127.0.0.1')
    expect((await options(['m.js', '--volunteers', '2', '--listen', '0.0.0.0'])).listen).toBe('0.0.0.0')
    expect((await options(['m.js', '--listen', '[::1]'])).listen).toBe('::1')
  })

  it('reads --open and --allow-host', async () => {
    expect(await options(['m.js', '--open', '--allow-host', 'A.example.org, b.local'])).toMatchObject({
      open: true,
      allowHosts: ['a.example.org', 'b.local'],
    })
  })
})

describe('parseArguments: --host, --secret, --seed', () => {
  const withSecret = (secret: string): ConfigFile => ({ path: NO_CONFIG.path, values: { secret } })

  it('reads --host with the secret from the command line or the config file, and --seed', async () => {
    expect(
      await options(['m.js', '--host', 'example.org:5001', '--secret', 'secret-0123456789ab']),
    ).toMatchObject({
      host: { display: 'example.org:5001', rootUrl: 'ws://example.org:5001/root' },
      secret: 'secret-0123456789ab',
    })
    expect(
      await options(['m.js', '--host', 'example.org'], withSecret('from-file-0123456789')),
    ).toMatchObject({
      host: { display: 'example.org:5000' },
      secret: 'from-file-0123456789',
    })
    expect(await options(['m.js', '--seed', '4294967295'])).toMatchObject({ seed: 4_294_967_295 })
  })

  it('ignores a secret from the config file without --host', async () => {
    expect(await options(['m.js'], withSecret('from-file-0123456789'))).toMatchObject({
      host: undefined,
      secret: undefined,
    })
  })

  it('never shows the secret in the help, only whether one is set', async () => {
    const help = await parse(['--help'], withSecret('hunter2'))
    if (help.kind !== 'help') throw new Error('expected help')
    expect(help.text).not.toContain('hunter2')
    expect(help.text).toContain('--secret S  [default: set (from the configuration file)]')
  })

  it.each([
    [
      ['m.js', '--secret', 'secret-0123456789ab'],
      /^--secret is the secret of a pando-server, and does nothing without --host/,
    ],
    [['m.js', '--secret=s'], /^--secret is the secret of a pando-server/],
    [
      ['m.js', '--host', 'example.org'],
      /^--host needs the secret of the pando-server at example.org:5000: set PANDO_SECRET/,
    ],
    [
      ['m.js', '--host', 'ftp://x', '--secret', 'secret-0123456789ab'],
      /^--host "ftp:\/\/x" has the scheme ftp:/,
    ],
    [
      ['m.js', '--host', 'example.org', '--secret', '0123456789abcde'],
      /^the secret of the pando-server \(--host\) is too short: it needs 16 characters or more/,
    ],
    [['m.js', '--listen', 'localhost'], /^--listen must be an IP address of this machine/],
    [
      ['m.js', '--host', 'example.org', '--secret', 'secret-0123456789ab', '--open'],
      /^--open does nothing with --host: the pando-server's own options apply \(give it to pando-server\)$/,
    ],
    [['m.js', '--allow-host', 'a.org:80'], /^--allow-host takes host names \(e.g. pando.example.org\)/],
    [['m.js', '--seed', '-1'], /^--seed must be a whole number from 0 to 4294967295, not "-1"/],
    [['m.js', '--seed', '4294967296'], /^--seed must be a whole number from 0 to 4294967295/],
  ])('refuses %j', async (args, message) => {
    await expect(parse(args)).rejects.toThrow(message)
  })
})

describe('parseArguments: the run record', () => {
  const record = async (args: string[]) => (await options(args)).record

  it('reads --journal, --resume-failed, --joblog, --cache and --cache-size', async () => {
    expect(
      await record([
        'm.js',
        '--journal',
        'j',
        '--resume-failed',
        '--joblog',
        'l',
        '--cache',
        'c',
        '--cache-size',
        '3',
      ]),
    ).toEqual({ journal: 'j', resume: 'failed', joblog: 'l', cache: 'c', cacheMaxBytes: 3 * 1024 * 1024 })
  })

  it('refuses --resume without --journal, and --journal with --sync-stdio', async () => {
    await expect(record(['m.js', '--resume'])).rejects.toThrow(
      '--resume needs the journal of the run to resume: add --journal FILE',
    )
    await expect(record(['m.js', '--journal', 'j', '--sync-stdio'])).rejects.toThrow(
      '--journal cannot be used with --sync-stdio: the peer, not pando, owns what was delivered',
    )
  })
})

describe('parseArguments: durations, short flags, environment', () => {
  const withEnv = async (
    args: string[],
    env: Record<string, string>,
    config = NO_CONFIG,
  ): Promise<RunOptions> => {
    const command = await parseArguments(args, { config, env, version: '1' })
    if (command.kind !== 'run') throw new Error('expected a run')
    return command.options
  }

  it('reads times with units, bare numbers in each option’s own unit', async () => {
    expect(
      await options(['m.js', '--heartbeat', '2s', '--item-timeout=90s', '--bootstrap-timeout', '1m']),
    ).toMatchObject({ heartbeatMs: 2_000, itemTimeout: 90_000, bootstrapTimeoutMs: 60_000 })
    expect(await options(['m.js', '--reporting-interval', '2', '--heartbeat', '300'])).toMatchObject({
      reportingIntervalMs: 2_000,
      heartbeatMs: 300,
    })
    expect((await options(['m.js', '--reporting-interval', '1.5s'])).reportingIntervalMs).toBe(1_500)
  })

  it('reads --item-timeout 300% with --local and for volunteers', async () => {
    expect((await options(['m.js', '-l', '--item-timeout', '300%'])).itemTimeout).toEqual({ percent: 300 })
    expect((await options(['m.js', '--item-timeout', '300%'])).itemTimeout).toEqual({ percent: 300 })
  })

  it.each([
    [
      ['m.js', '--heartbeat', '2sec'],
      /^--heartbeat must be a time of 100ms or more such as 90s, 1500ms, 2m or 1h \(a bare number is ms\), not "2sec"/,
    ],
    [['m.js', '--heartbeat', '50ms'], /^--heartbeat must be a time of 100ms or more/],
    [
      ['m.js', '--reporting-interval', '0.5'],
      /^--reporting-interval must be a time of 1s or more .*\(a bare number is seconds\), not "0.5"/,
    ],
    [['m.js', '--bootstrap-timeout', '300%'], /^--bootstrap-timeout must be a time/],
    [['m.js', '--item-timeout', '0%'], /^--item-timeout must be a time such as 90s, 1500ms, 2m, 1h or 300%/],
  ])('refuses the time %j', async (args, message) => {
    await expect(parse(args)).rejects.toThrow(message)
  })

  it('takes -q, -p, -l and -c as --quiet, --port, --local and --config', async () => {
    expect(await options(['m.js', '-q', '-p', '9000', '-l', '-c', 'x.json'])).toMatchObject({
      quiet: true,
      port: 9000,
      local: true,
    })
    await expect(parse(['m.js', '-p', 'x'])).rejects.toThrow(
      /^--port must be a whole number from 0 to 65535, not "x"/,
    )
  })

  it('takes PANDO_<OPTION> variables: command line > environment > config file > built-in default', async () => {
    const config: ConfigFile = { path: NO_CONFIG.path, values: { port: 7000, retries: 5, heartbeat: 4_000 } }
    expect(await withEnv(['m.js'], { PANDO_PORT: '9000', PANDO_ITEM_TIMEOUT: '90s' }, config)).toMatchObject({
      port: 9000,
      retries: 5,
      itemTimeout: 90_000,
      heartbeatMs: 4_000,
      degree: 10,
    })
    expect((await withEnv(['m.js', '--port', '8000'], { PANDO_PORT: '9000' }, config)).port).toBe(8000)
    expect((await withEnv(['m.js', '--no-quiet'], { PANDO_QUIET: '1' })).quiet).toBe(false)
    expect((await withEnv(['m.js'], { PANDO_PROGRESS: 'false' })).progress).toBe(false)
    expect((await withEnv(['m.js', '--host', 'h.org'], { PANDO_SECRET: 'from-env-0123456789' })).secret).toBe(
      'from-env-0123456789',
    )
  })

  it('names the variable of a bad value, and never quotes a secret', async () => {
    await expect(withEnv(['m.js'], { PANDO_RETRIES: 'many' })).rejects.toThrow(
      /^\$PANDO_RETRIES \(--retries\) must be a whole number of 0 or more, not "many": fix or unset it$/,
    )
  })

  it('shows the defaults of the environment in the help', async () => {
    const help = await parseArguments(['--help'], {
      config: NO_CONFIG,
      env: { PANDO_PORT: '9000' },
      version: '1',
    })
    if (help.kind !== 'help') throw new Error('expected help')
    expect(help.text).toContain('  -p, --port N  [default: 9000 (from $PANDO_PORT)]\n')
  })
})

describe('parseArguments, the habits of GNU parallel', () => {
  const piped = async (args: string[], config: ConfigFile = NO_CONFIG): Promise<RunOptions> => {
    const command = await parseArguments(args, { config, version: '1', stdinIsTerminal: false })
    if (command.kind !== 'run') throw new Error(`expected a run, got ${command.kind}`)
    return command.options
  }

  it('reads a stdin that is not a terminal when no ITEMS, --stdin or --arg-file say otherwise', async () => {
    expect((await piped(['m.js'])).stdin).toBe(true)
    expect((await piped(['m.js', 'a'])).stdin).toBe(false)
    expect((await piped(['m.js', '--no-stdin'])).stdin).toBe(false)
    expect((await piped(['m.js'], { ...NO_CONFIG, values: { stdin: false } })).stdin).toBe(false)
    expect(await piped(['m.js', '-a', 'items.txt'])).toMatchObject({ stdin: false, argFile: 'items.txt' })
    expect(await piped(['m.js', '-a', '-'])).toMatchObject({ stdin: true, argFile: undefined })
    expect((await options(['m.js'])).stdin).toBe(false)
  })

  it('reads -0 as --null before --, and as an item after it', async () => {
    expect(await options(['m.js', '-0', 'x'])).toMatchObject({ recordSeparator: '\0', items: ['x'] })
    expect(await options(['m.js', '--', '-0'])).toMatchObject({ recordSeparator: '\n', items: ['-0'] })
  })

  it('reads -j, --tag, --dry-run and --halt', async () => {
    expect((await options(['m.js', '--local', '-j', '3'])).jobs).toBe(3)
    expect((await options(['m.js', '--local', '--jobs=auto'])).jobs).toBeGreaterThanOrEqual(1)
    expect(await options(['m.js', '--tag', '--dry-run'])).toMatchObject({ tag: true, dryRun: true })
    expect((await options(['m.js', '--halt', 'now,success=2'])).halt).toEqual({
      when: 'now',
      why: 'success',
      count: 2,
      text: 'now,success=2',
    })
    expect((await options(['m.js', '--on-error', 'skip', '--halt', '5%'])).halt).toEqual({
      when: 'soon',
      why: 'fail',
      percent: 5,
      text: '5%',
    })
    expect((await options(['m.js', '--halt', 'never'])).halt).toBeUndefined()
  })
})
