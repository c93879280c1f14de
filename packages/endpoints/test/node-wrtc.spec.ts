import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import os from 'node:os'
import { timeLimitedTurnCredentials } from '@pando/server'
import { afterEach, describe, expect, it } from 'vitest'
import { nodeIceServers } from '../src/node-ice-servers.ts'
import { nodeWrtc } from '../src/node-wrtc.ts'

const SECRET = 'node-wrtc-test-secret'

describe('nodeIceServers', () => {
  it('percent-encodes TURN usernames and credentials, and leaves servers without them as they are', () => {
    expect(
      nodeIceServers([
        { urls: 'stun:203.0.113.1:3478' },
        {
          urls: ['turn:203.0.113.1:3478', 'turn:203.0.113.2'],
          username: '1796718678:e3bc',
          credential: 'a/b+c=',
        },
      ]),
    ).toEqual([
      { urls: 'stun:203.0.113.1:3478' },
      {
        urls: ['turn:203.0.113.1:3478', 'turn:203.0.113.2'],
        username: '1796718678%3Ae3bc',
        credential: 'a%2Fb%2Bc%3D',
      },
    ])
  })
})

/** Only where nothing can leave the machine (`scripts/loopback-only.mjs`), with coturn installed. */
const loopbackOnly = Object.values(os.networkInterfaces()).every((addresses) =>
  (addresses ?? []).every((address) => address.internal),
)
const hasTurnServer = spawnSync('sh', ['-c', 'command -v turnserver']).status === 0

describe.skipIf(!loopbackOnly || !hasTurnServer)('nodeWrtc with a TURN server', () => {
  let turn: ChildProcess | undefined
  afterEach(() => {
    turn?.kill('SIGKILL')
    turn = undefined
  })

  it("gathers a relay candidate with the TURN REST API's credentials (a username with a colon)", async () => {
    const port = 20_000 + Math.floor(Math.random() * 20_000)
    turn = spawn(
      'turnserver',
      [
        '-n',
        '--log-file=stdout',
        `--listening-ip=127.0.0.1`,
        `--relay-ip=127.0.0.1`,
        `--listening-port=${port}`,
      ]
        .concat(['--use-auth-secret', `--static-auth-secret=${SECRET}`, '--realm=pando'])
        .concat(['--no-tls', '--no-dtls', '--no-cli', '--allow-loopback-peers']),
      { stdio: ['ignore', 'pipe', 'pipe'] },
    )
    let log = ''
    turn.stdout?.setEncoding('utf8').on('data', (chunk: string) => (log += chunk))
    await expect
      .poll(() => log, { timeout: 20_000 })
      .toMatch(/UDP listener opened on|Total (UDP|General) servers/i)

    const { username, credential } = timeLimitedTurnCredentials(SECRET)
    expect(username).toContain(':')
    const connection = new nodeWrtc.RTCPeerConnection({
      iceServers: [{ urls: `turn:127.0.0.1:${port}`, username, credential }],
    })
    const candidates: string[] = []
    connection.onicecandidate = (event) => {
      if (event.candidate !== null) candidates.push(event.candidate.candidate)
    }
    try {
      connection.createDataChannel('probe')
      await connection.setLocalDescription(await connection.createOffer())
      await expect.poll(() => candidates.join('\n'), { timeout: 20_000 }).toMatch(/ typ relay /)
    } finally {
      connection.close()
    }
  }, 60_000)
})
