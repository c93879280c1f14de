// The root link's server side on its own, its collaborators injected: whose fault a failed message is.
import { once } from 'node:events'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import type { RelayToJoiner, ServerToRoot } from '@pando/protocol'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ROOT_LINK_FAILED_REASON, RootRegistry, type RootRegistryOptions } from '../src/root-registry.ts'
import { registerRoot, type RecordingClient } from './recording-client.ts'

const SECRET = 's3cret'
const ANSWER: RelayToJoiner = { type: 'answer', signal: { type: 'answer' } }

describe('RootRegistry', () => {
  let registry: RootRegistry | undefined
  let http: Server | undefined
  let tmp: string
  const previousTmpdir = process.env['TMPDIR']

  beforeEach(async () => {
    // The run's files go under a TMPDIR of the test's own.
    tmp = await mkdtemp(path.join(os.tmpdir(), 'pando-registry-'))
    process.env['TMPDIR'] = tmp
  })

  afterEach(async () => {
    await registry?.close()
    registry = undefined
    http?.close()
    http = undefined
    if (previousTmpdir === undefined) delete process.env['TMPDIR']
    else process.env['TMPDIR'] = previousTmpdir
    await rm(tmp, { recursive: true, force: true })
  })

  /** A registry behind a real HTTP server on the loopback; its collaborators are `options`. */
  const start = async (options: Partial<RootRegistryOptions>): Promise<number> => {
    const endpoint = new RootRegistry({
      secret: SECRET,
      heartbeatMs: 60_000,
      welcome: () => ({ urls: [], dashboardUrls: [] }),
      sendToJoiner: () => undefined,
      broadcastStatus: () => undefined,
      ...options,
    })
    registry = endpoint
    const server = createServer()
    http = server
    server.on('upgrade', (request, socket, head) =>
      endpoint.wss.handleUpgrade(request, socket, head, (ws) => endpoint.wss.emit('connection', ws, request)),
    )
    server.listen(0, '127.0.0.1')
    await once(server, 'listening')
    return (server.address() as AddressInfo).port
  }

  /** A root that has registered (its files written, `ready` received). */
  const register = (port: number): Promise<RecordingClient<ServerToRoot>> =>
    registerRoot(`ws://127.0.0.1:${port}/root`, SECRET, [{ name: 'config.json', content: '{}' }])

  describe('a message from the root that fails', () => {
    it('closes the link with 1011, not blaming the root, when a bug here fails on it, and reports the bug', async () => {
      const bugs: unknown[] = []
      const port = await start({
        sendToJoiner: () => {
          throw new TypeError('a bug in the relay')
        },
        onInternalError: (error) => bugs.push(error),
      })
      const root = await register(port)
      root.send({ type: 'to-joiner', origin: 'origin-1', message: ANSWER })
      expect(await root.closed).toEqual({ code: 1011, reason: ROOT_LINK_FAILED_REASON })
      expect(root.received.at(-1)).toEqual({ type: 'error', reason: ROOT_LINK_FAILED_REASON })
      expect(bugs).toEqual([new TypeError('a bug in the relay')])
    })

    it('closes the link with 1008 and the reason when the message is malformed, reporting no bug', async () => {
      const bugs: unknown[] = []
      const port = await start({ onInternalError: (error) => bugs.push(error) })
      const root = await register(port)
      root.send({ type: 'to-joiner', origin: 'origin-1', message: { type: 'answer' } })
      expect(await root.closed).toEqual({ code: 1008, reason: 'malformed to-joiner' })
      expect(root.received.at(-1)).toEqual({ type: 'error', reason: 'malformed to-joiner' })
      expect(bugs).toEqual([])
    })
  })
})
