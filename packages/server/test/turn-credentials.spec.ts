import { createHmac } from 'node:crypto'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { IceServer, RunConfig } from '@pando/protocol'
import {
  TURN_CREDENTIAL_TTL_S,
  createServer,
  timeLimitedTurnCredentials,
  withTurnCredentials,
  type PandoServer,
} from '../src/index.ts'

describe('timeLimitedTurnCredentials', () => {
  it('makes the TURN REST API credentials: EXPIRY:ID, base64(HMAC-SHA1(secret, username))', () => {
    // The credential computed independently with:
    //   printf '%s' 1700086400:alice | openssl dgst -sha1 -hmac north-secret -binary | base64
    const made = timeLimitedTurnCredentials('north-secret', {
      id: 'alice',
      ttlSeconds: 86_400,
      now: () => 1_700_000_000_500,
    })
    expect(made).toEqual({ username: '1700086400:alice', credential: 'Nni2GlD6PVaoCP0Cx2DhLKDWjyY=' })
  })

  it('expires a day after now by default, with a random id each time', () => {
    const now = (): number => 1_700_000_000_000
    const first = timeLimitedTurnCredentials('s', { now })
    const second = timeLimitedTurnCredentials('s', { now })
    expect(first.username).toMatch(new RegExp(`^${1_700_000_000 + TURN_CREDENTIAL_TTL_S}:[0-9a-f]{16}$`))
    expect(second.username).not.toBe(first.username)
  })
})

describe('withTurnCredentials', () => {
  const made = { username: '1:x', credential: 'c' }

  it('gives credentials to TURN servers only, keeping fixed ones', () => {
    const servers: IceServer[] = [
      { urls: 'stun:203.0.113.1:3478' },
      { urls: ['turn:203.0.113.1:3478?transport=udp', 'turns:203.0.113.1:5349'] },
      { urls: 'TURN:203.0.113.2', username: 'fixed', credential: 'kept' },
    ]
    expect(withTurnCredentials(servers, () => made)).toEqual([
      { urls: 'stun:203.0.113.1:3478' },
      { urls: ['turn:203.0.113.1:3478?transport=udp', 'turns:203.0.113.1:5349'], ...made },
      { urls: 'TURN:203.0.113.2', username: 'fixed', credential: 'kept' },
    ])
  })
})

describe('run/config.json with a TURN secret', () => {
  let server: PandoServer | undefined
  let runDir: string | undefined

  afterEach(async () => {
    await server?.close()
    if (runDir !== undefined) await rm(runDir, { recursive: true, force: true })
  })

  it("gives each page its own credentials, which the secret's HMAC checks, and never the secret", async () => {
    runDir = await mkdtemp(path.join(os.tmpdir(), 'pando-run-'))
    const written = { degree: 2, iceServers: [{ urls: 'stun:203.0.113.1' }, { urls: 'turn:203.0.113.1' }] }
    await writeFile(path.join(runDir, 'config.json'), JSON.stringify(written))
    server = await createServer({
      port: 0,
      host: '127.0.0.1',
      volunteerDir: runDir,
      runDir,
      onVolunteer: () => undefined,
      turnSecret: 'shared-with-coturn',
    })
    const fetchConfig = async (): Promise<RunConfig> => {
      const response = await fetch(`http://127.0.0.1:${server?.port ?? 0}/run/config.json`)
      expect(response.headers.get('cache-control')).toBe('no-store')
      return (await response.json()) as RunConfig
    }
    const [first, second] = [await fetchConfig(), await fetchConfig()]
    for (const config of [first, second]) {
      expect(config.degree).toBe(2)
      expect(config.iceServers[0]).toEqual({ urls: 'stun:203.0.113.1' })
      const { username = '', credential } = config.iceServers[1] ?? { urls: '' }
      const expected = createHmac('sha1', 'shared-with-coturn').update(username).digest('base64')
      expect(credential).toBe(expected)
      expect(JSON.stringify(config)).not.toContain('shared-with-coturn')
    }
    expect(first.iceServers[1]?.username).not.toBe(second.iceServers[1]?.username)
  })
})
