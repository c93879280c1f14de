import { mkdtemp, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { MAX_ROOT_HELLO_BYTES, MAX_ROOT_LINK_MESSAGE_BYTES, ROOT_LINK_VERSION } from '@pando/protocol'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { MAX_VIEWER_PAYLOAD_BYTES } from '../src/constants.ts'
import { createHostingServer, createServer, type HostingServer, type PandoServer } from '../src/index.ts'
import { STATUS } from './monitor-status.ts'
import { RecordingClient, registerRoot } from './recording-client.ts'

const SECRET = 's3cret'
const FILES = [{ name: 'config.json', content: '{"protocolVersion":1}' }]
/** A text frame that is not UTF-8: `{`, two bytes no UTF-8 sequence starts with, `}`. */
const NOT_UTF8 = Buffer.from([0x7b, 0xff, 0xfe, 0x7d])

interface Closed {
  readonly code: number
  readonly reason: string
}

describe('frames a peer should not send', () => {
  let page: string

  beforeEach(async () => {
    page = await mkdtemp(path.join(os.tmpdir(), 'pando-page-'))
    await writeFile(path.join(page, 'index.html'), '<title>volunteer</title>')
  })

  describe('/monitor/feed', () => {
    let server: PandoServer | undefined

    afterEach(async () => {
      await server?.close()
      server = undefined
    })

    const viewer = async (): Promise<RecordingClient> =>
      new RecordingClient(`ws://127.0.0.1:${server?.port ?? 0}/monitor/feed`).open()

    it.each<[string, (peer: RecordingClient) => void, Closed]>([
      [
        'a frame over the limit with 1009',
        (peer) => peer.socket.send('x'.repeat(MAX_VIEWER_PAYLOAD_BYTES + 1)),
        { code: 1009, reason: `message too large: the limit is ${MAX_VIEWER_PAYLOAD_BYTES} bytes` },
      ],
      [
        'a text frame that is not UTF-8 with 1007',
        (peer) => peer.socket.send(NOT_UTF8, { binary: false }),
        { code: 1007, reason: 'invalid frame: text that is not UTF-8' },
      ],
      [
        'malformed JSON with 1008',
        (peer) => peer.socket.send('{"type":'),
        { code: 1008, reason: 'the monitor feed is read-only' },
      ],
    ])('closes a viewer that sends %s and a reason, and serves the others', async (_, send, expected) => {
      server = await createServer({
        port: 0,
        host: '127.0.0.1',
        volunteerDir: page,
        runDir: page,
        onVolunteer: () => undefined,
      })
      const quiet = await viewer()
      const rude = await viewer()
      send(rude)
      expect(await rude.closed).toEqual(expected)
      await expect.poll(() => server?.monitorViewerCount()).toBe(1)
      const late = await viewer()
      server.broadcastStatus(STATUS)
      await quiet.next('status')
      await late.next('status')
      expect(server.monitorViewerCount()).toBe(2)
    })
  })

  describe('/root', () => {
    let server: HostingServer | undefined

    afterEach(async () => {
      await server?.close()
      server = undefined
    })

    const start = async (): Promise<number> => {
      server = await createHostingServer({
        port: 0,
        host: '127.0.0.1',
        secret: SECRET,
        volunteerDir: page,
        heartbeatMs: 60_000,
      })
      return server.port
    }

    const connect = (port: number): Promise<RecordingClient> =>
      new RecordingClient(`ws://127.0.0.1:${port}/root`).open()

    const register = (port: number): Promise<RecordingClient> =>
      registerRoot(`ws://127.0.0.1:${port}/root`, SECRET, FILES)

    /** A root can still register, and its statuses still reach the dashboards. */
    const stillServing = async (port: number): Promise<void> => {
      const root = await register(port)
      const viewer = await new RecordingClient(`ws://127.0.0.1:${port}/monitor/feed`).open()
      root.send({ type: 'status', status: STATUS })
      await viewer.next('status')
    }

    const tooLargeHello = JSON.stringify({
      type: 'hello',
      version: ROOT_LINK_VERSION,
      secret: 's'.repeat(MAX_ROOT_HELLO_BYTES),
    })

    it.each<[string, string | Buffer, Closed]>([
      [
        'a hello over its limit with 1009',
        tooLargeHello,
        { code: 1009, reason: `message too large: ${tooLargeHello.length} characters` },
      ],
      [
        'a first frame that is not UTF-8 with 1007',
        NOT_UTF8,
        { code: 1007, reason: 'invalid frame: text that is not UTF-8' },
      ],
      [
        'a first message that is not JSON with 1008',
        '{"type":',
        { code: 1008, reason: 'message is not JSON' },
      ],
      [
        'a hello that fails validation with 1008',
        JSON.stringify({ type: 'hello', version: ROOT_LINK_VERSION, secret: 7 }),
        { code: 1008, reason: 'malformed hello: secret' },
      ],
    ])('closes a link that sends %s and a reason, and serves the next root', async (_, frame, expected) => {
      const port = await start()
      const link = await connect(port)
      link.socket.send(frame, { binary: false })
      expect(await link.closed).toEqual(expected)
      await stillServing(port)
    })

    it.each<[string, (root: RecordingClient) => void, Closed]>([
      [
        'a frame over the link’s limit with 1009',
        (root) => root.socket.send(Buffer.alloc(MAX_ROOT_LINK_MESSAGE_BYTES + 1, 0x20), { binary: false }),
        { code: 1009, reason: `message too large: the limit is ${MAX_ROOT_LINK_MESSAGE_BYTES} bytes` },
      ],
      [
        'a frame that is not UTF-8 with 1007',
        (root) => root.socket.send(NOT_UTF8, { binary: false }),
        { code: 1007, reason: 'invalid frame: text that is not UTF-8' },
      ],
      [
        'a message that is not JSON with 1008',
        (root) => root.socket.send('nope'),
        { code: 1008, reason: 'message is not JSON' },
      ],
      [
        'a message that fails validation with 1008',
        (root) => root.send({ type: 'volunteer-send', connection: 0, data: '' }),
        { code: 1008, reason: 'malformed volunteer-send: connection' },
      ],
    ])(
      'sends away a registered root that sends %s and a reason, then serves the next',
      async (_, send, expected) => {
        const port = await start()
        const root = await register(port)
        send(root)
        expect(await root.closed).toEqual(expected)
        await stillServing(port)
      },
    )
  })
})
