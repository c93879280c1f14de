import { describe, expect, it } from 'vitest'
import type { ConfigFile } from '../src/config-file.ts'
import { parseServerArguments, type ServerCommand, type ServerRunOptions } from '../src/server-arguments.ts'

const NO_CONFIG: ConfigFile = { path: '/home/u/.pando/config.json', values: {} }

function parse(
  args: string[],
  env: Record<string, string> = { PANDO_SECRET: 'from-env-0123456789' },
  config: ConfigFile = NO_CONFIG,
): Promise<ServerCommand> {
  return parseServerArguments(args, { config, env, version: '1.2.3' })
}

async function options(
  args: string[],
  env?: Record<string, string>,
  config?: ConfigFile,
): Promise<ServerRunOptions> {
  const command = await parse(args, env, config)
  if (command.kind !== 'serve') throw new Error(`expected serve, got ${command.kind}`)
  return command.options
}

describe('parseServerArguments', () => {
  it('uses the defaults', async () => {
    expect(await options([])).toEqual({
      port: 5000,
      host: undefined,
      open: false,
      allowHosts: [],
      secret: 'from-env-0123456789',
      heartbeatMs: 2000,
      iceAddresses: 'any',
      seed: undefined,
      turnSecret: undefined,
    })
  })

  it('reads every option', async () => {
    const args = [
      '--port',
      '0',
      '--listen',
      '127.0.0.1',
      '--open',
      '--allow-host',
      'Pando.Example.org,other',
      '--heartbeat=500',
      '--ice-addresses',
      'loopback',
      '--seed',
      '7',
      '--turn-secret',
      'typed-turn',
    ]
    expect(await options(args)).toEqual({
      port: 0,
      host: '127.0.0.1',
      open: true,
      allowHosts: ['pando.example.org', 'other'],
      secret: 'from-env-0123456789',
      heartbeatMs: 500,
      iceAddresses: 'loopback',
      seed: 7,
      turnSecret: 'typed-turn',
    })
  })

  it('takes the TURN secret from --turn-secret, else $PANDO_TURN_SECRET, else the config file', async () => {
    const env = { PANDO_SECRET: 'from-env-0123456789', PANDO_TURN_SECRET: 'turn-from-env' }
    const config: ConfigFile = { path: NO_CONFIG.path, values: { 'turn-secret': 'turn-from-file' } }
    expect((await options(['--turn-secret', 'typed'], env, config)).turnSecret).toBe('typed')
    expect((await options([], env, config)).turnSecret).toBe('turn-from-env')
    expect((await options([], undefined, config)).turnSecret).toBe('turn-from-file')
    const help = await parse(['--help'], env)
    expect(help.kind === 'help' && help.text).not.toContain('turn-from-env')
  })

  it('takes --host as the old name of --listen', async () => {
    expect((await options(['--host', '::1'])).host).toBe('::1')
  })

  it('refuses a secret of fewer than 16 characters, and a --listen that is not an address', async () => {
    await expect(parse([], { PANDO_SECRET: '0123456789abcde' })).rejects.toMatchObject({
      message:
        'the secret of pando-server is too short: it needs 16 characters or more, hard to guess, e.g. ' +
        'export PANDO_SECRET=$(openssl rand -hex 16)',
      exitCode: 2,
    })
    await expect(parse(['--listen', 'example.org'])).rejects.toThrow(
      /^--listen must be an IP address of this machine, e.g. 127.0.0.1 \(this machine only\) or 0.0.0.0/,
    )
  })

  it('takes the secret from --secret, else $PANDO_SECRET, else the config file', async () => {
    const config: ConfigFile = {
      path: NO_CONFIG.path,
      values: { secret: 'from-file-0123456789', retries: 3 },
    }
    expect(
      (await options(['--secret', 'typed-0123456789'], { PANDO_SECRET: 'from-env-0123456789' }, config))
        .secret,
    ).toBe('typed-0123456789')
    expect((await options([], { PANDO_SECRET: 'from-env-0123456789' }, config)).secret).toBe(
      'from-env-0123456789',
    )
    expect((await options([], {}, config)).secret).toBe('from-file-0123456789')
  })

  it('takes PANDO_<OPTION> for its options, over the configuration file, under the command line', async () => {
    const env = {
      PANDO_SECRET: 'from-env-0123456789',
      PANDO_PORT: '0',
      PANDO_LISTEN: '127.0.0.1',
      PANDO_OPEN: '1',
      PANDO_ALLOW_HOST: 'pando.example.org',
      PANDO_HEARTBEAT: '3s',
      PANDO_ICE_ADDRESSES: 'loopback',
      PANDO_SEED: '9',
      // Not an option of pando-server: never read, even when pando would refuse it.
      PANDO_RETRIES: 'many',
    }
    const config: ConfigFile = {
      path: '/home/u/.config/pando/config.json',
      values: { port: 6000, heartbeat: 500, 'ice-addresses': 'private', seed: '4', retries: 3, host: 'x:1' },
    }
    expect(await options([], env, config)).toEqual({
      port: 0,
      host: '127.0.0.1',
      open: true,
      allowHosts: ['pando.example.org'],
      secret: 'from-env-0123456789',
      heartbeatMs: 3_000,
      iceAddresses: 'loopback',
      seed: 9,
      turnSecret: undefined,
    })
    expect(await options([], { PANDO_SECRET: 'from-env-0123456789' }, config)).toMatchObject({
      port: 6000,
      host: undefined,
      heartbeatMs: 500,
      iceAddresses: 'private',
      seed: 4,
    })
    expect(
      await options(['--port', '7000', '--no-open', '--heartbeat', '1s', '--host', '::1'], env, config),
    ).toMatchObject({ port: 7000, open: false, heartbeatMs: 1_000, host: '::1' })
  })

  it('takes --config FILE and -c FILE (read before, by readConfigFile), and names the file read', async () => {
    const config: ConfigFile = { path: '/srv/pando.json', values: {} }
    for (const args of [
      ['--config', '/srv/pando.json'],
      ['-c', '/srv/pando.json'],
      ['--config=/srv/pando.json'],
    ]) {
      await expect(parse(args, {}, config)).rejects.toThrow(
        'put it as "secret" in /srv/pando.json (or --secret, which other users of this machine can see)',
      )
    }
    const help = await parse(['--help'])
    expect(help.kind === 'help' && help.text).toMatch(/-c, --config\s+Read the defaults from FILE instead/)
  })

  it('names the variable of a bad value, never quoting a secret', async () => {
    await expect(parse([], { PANDO_SECRET: 'from-env-0123456789', PANDO_HEARTBEAT: '2sec' })).rejects.toThrow(
      /^\$PANDO_HEARTBEAT \(--heartbeat\) must be a time of 100ms or more such as 90s, 1500ms, 2m or 1h \(a bare number is ms\), not "2sec": fix or unset it$/,
    )
    await expect(parse([], { PANDO_SECRET: 'short' })).rejects.toThrow(
      /^the secret of pando-server is too short/,
    )
    await expect(parse([], { PANDO_SECRET: 'short' })).rejects.not.toThrow(/"short"/)
  })

  it('answers --help without showing a secret, and --version', async () => {
    const help = await parse(['--help'], { PANDO_SECRET: 'hunter2' })
    if (help.kind !== 'help') throw new Error('expected help')
    expect(help.text).toMatch(/^Usage: pando-server \[OPTIONS\]/)
    expect(help.text).not.toContain('hunter2')
    expect(await parse(['-v'])).toEqual({ kind: 'version', text: '1.2.3' })
  })

  it.each([
    [[], {}, /^no secret: pando-server needs one, which a root must give to register/],
    [
      ['--port', '70000'],
      undefined,
      /^--port must be a whole number from 0 to 65535, not 70000 \(see 'pando-server --help'\)$/,
    ],
    [['--heartbeat', '10'], undefined, /^--heartbeat must be a time of 100ms or more such as 90s/],
    [
      ['--ice-addresses', 'lan'],
      undefined,
      /^--ice-addresses must be one of loopback, private, any, not "lan"/,
    ],
    [
      ['--seed', 'x'],
      undefined,
      /^--seed must be a whole number from 0 to 4294967295, not "x" \(see 'pando-server --help'\)$/,
    ],
    [
      ['--retries', '3'],
      undefined,
      /^unknown option --retries: run 'pando-server --help' to see the options$/,
    ],
    [['square.js'], undefined, /^pando-server takes no MODULE or items \("square.js"\): the root gives them/],
    [['--port'], undefined, /^--port needs a value/],
  ])('refuses %j', async (args, env, message) => {
    await expect(parse(args, env)).rejects.toThrow(message)
    await expect(parse(args, env)).rejects.toMatchObject({ name: 'UsageError', exitCode: 2 })
  })
})
