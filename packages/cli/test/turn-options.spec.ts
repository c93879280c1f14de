import { createHmac } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import type { ConfigFile } from '../src/config-file.ts'
import { parseArguments, type RunOptions } from '../src/parse-arguments.ts'
import { iceServersFor, rootIceServers } from '../src/turn-options.ts'

const NO_CONFIG: ConfigFile = { path: '/home/u/.pando/config.json', values: {} }
const TURN = 'turn:203.0.113.1:3478'

async function run(args: string[], env: Record<string, string> = {}): Promise<RunOptions> {
  const command = await parseArguments(['m.js', ...args], {
    config: NO_CONFIG,
    env,
    version: '1.2.3',
  })
  if (command.kind !== 'run') throw new Error(`expected a run, got ${command.kind}`)
  return command.options
}

describe('the TURN options', () => {
  it('gives a fixed username and credential to the TURN servers only', async () => {
    const { ice } = await run([
      '--ice-servers',
      `stun:203.0.113.1, ${TURN}`,
      '--turn-username',
      'pando',
      '--turn-credential',
      'pass-word',
    ])
    expect(ice).toEqual({
      iceServers: [{ urls: 'stun:203.0.113.1' }, { urls: TURN, username: 'pando', credential: 'pass-word' }],
      turnSecret: undefined,
    })
  })

  it('takes the secret from $PANDO_TURN_SECRET, and makes credentials of its own for each peer', async () => {
    const { ice } = await run(['--ice-servers', TURN], { PANDO_TURN_SECRET: 'from-env' })
    expect(ice).toEqual({ iceServers: [{ urls: TURN }], turnSecret: 'from-env' })
    const [first, second] = [iceServersFor(ice)[0], iceServersFor(ice)[0]]
    expect(first?.username).not.toBe(second?.username)
    const hmac = createHmac('sha1', 'from-env')
      .update(first?.username ?? '')
      .digest('base64')
    expect(first?.credential).toBe(hmac)
  })

  it('prefers --turn-secret to $PANDO_TURN_SECRET', async () => {
    const { ice } = await run(['--ice-servers', TURN, '--turn-secret', 'typed'], { PANDO_TURN_SECRET: 'env' })
    expect(ice.turnSecret).toBe('typed')
  })

  it('lets a root with --host name a TURN server without credentials: its pando-server makes them', async () => {
    const { ice } = await run(['--ice-servers', TURN, '--host', 'example.org:5000'], {
      PANDO_SECRET: 'secret-0123456789ab',
    })
    expect(ice).toEqual({ iceServers: [{ urls: TURN }], turnSecret: undefined })
    // The root itself cannot use it.
    expect(rootIceServers(ice)).toEqual([])
  })

  it.each([
    [[`--ice-servers=${TURN}`], /^a turn: server in --ice-servers needs credentials, which browsers require/],
    [['--turn-secret', 'hunter2'], /^TURN credentials are given, but --ice-servers names no turn: server/],
    [[`--ice-servers=${TURN}`, '--turn-username', 'u'], /^--turn-username and --turn-credential go together/],
    [
      [`--ice-servers=${TURN}`, '--turn-secret', 'hunter2', '--turn-username=u', '--turn-credential=c'],
      /^--turn-secret makes the TURN credentials: drop --turn-username and --turn-credential/,
    ],
  ])('refuses %j, quoting no secret', async (args, message) => {
    const refused = run(args)
    await expect(refused).rejects.toThrow(message)
    await expect(refused).rejects.not.toThrow('hunter2')
  })

  it('never shows the TURN secret or credential in the help', async () => {
    const help = await parseArguments(['--help'], {
      config: { path: NO_CONFIG.path, values: { 'turn-credential': 'hunter3' } },
      env: { PANDO_TURN_SECRET: 'hunter2' },
      version: '1.2.3',
    })
    if (help.kind !== 'help') throw new Error('expected help')
    expect(help.text).not.toMatch(/hunter/)
    expect(help.text).toContain('--turn-secret S  [default: set (from $PANDO_TURN_SECRET)]')
    expect(help.text).toContain('--turn-credential C  [default: set (from the configuration file)]')
  })
})
