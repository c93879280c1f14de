// The WebSocket link in Node: `WebSocketChannel` over a `ws` client and over the socket a `ws` server hands
// over, on loopback (run it in a network namespace: `node scripts/loopback-only.mjs npx vitest run …`).
import { CLOSE_PROTOCOL_ERROR, CLOSE_RECONNECT } from '@pando/protocol'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { WebSocket, WebSocketServer } from 'ws'
import { ProtocolError, WebSocketChannel, type WebSocketChannelOptions } from '../src/index.ts'
import { channelSuite, type ChannelPair } from './suites/channel.ts'

let server: WebSocketServer
let url = ''
/** The server's ends of the connections to come, by the path their client asked for. */
const accepted = new Map<string, (socket: WebSocket) => void>()
let connections = 0
const made: WebSocketChannel[] = []

beforeAll(async () => {
  server = new WebSocketServer({ host: '127.0.0.1', port: 0 })
  server.on('connection', (socket, request) => {
    accepted.get(request.url ?? '')?.(socket)
    accepted.delete(request.url ?? '')
  })
  await new Promise<void>((resolve) => server.once('listening', () => resolve()))
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('the test server has no port')
  url = `ws://127.0.0.1:${String(address.port)}/`
})

afterEach(() => {
  for (const channel of made.splice(0)) channel.close()
})

afterAll(async () => {
  for (const socket of server.clients) socket.terminate()
  await new Promise<void>((resolve) => server.close(() => resolve()))
})

/** A new connection to the test server: the client's `ws` socket, and the server's, once it comes. */
function connect(): { client: WebSocket; server: Promise<WebSocket> } {
  const path = `/${String(++connections)}`
  const server = new Promise<WebSocket>((resolve) => accepted.set(path, resolve))
  return { client: new WebSocket(`${url}${path.slice(1)}`), server }
}

/** A client channel to the test server, and the server's channel of that connection. */
function wsPair<M = unknown>(
  options: WebSocketChannelOptions<M> = {},
): {
  first: WebSocketChannel<M>
  second: Promise<WebSocketChannel<M>>
} {
  const { client, server } = connect()
  const second = server.then((socket) => new WebSocketChannel<M>(socket, options))
  return { first: new WebSocketChannel<M>(client, options), second }
}

channelSuite('WebSocketChannel over ws, on loopback', {
  pair: (): ChannelPair => wsPair(),
  settle: () => new Promise((resolve) => setTimeout(resolve, 5)),
})

async function openWsPair<M = unknown>(
  options: WebSocketChannelOptions<M> = {},
): Promise<[WebSocketChannel<M>, WebSocketChannel<M>]> {
  const { first, second } = wsPair<M>(options)
  const server = await second
  made.push(first as WebSocketChannel, server as WebSocketChannel)
  if (first.state !== 'open') await new Promise<void>((resolve) => first.on('open', () => resolve()))
  return [first, server]
}

const closed = (channel: WebSocketChannel<unknown>): Promise<void> =>
  new Promise((resolve) => {
    if (channel.state === 'closed') resolve()
    else channel.on('close', () => resolve())
  })

describe('WebSocketChannel', () => {
  it('starts open, with no open event, on a socket handed over open', async () => {
    const [, server] = await openWsPair()
    expect(server.state).toBe('open')
  })

  it('keeps the code and reason the other side closed with', async () => {
    const [client, server] = await openWsPair()
    server.close(CLOSE_RECONNECT, 'come back later')
    await closed(client)
    expect(client.closedWith).toEqual({ code: CLOSE_RECONNECT, reason: 'come back later' })
    expect(server.closedWith).toEqual({ code: CLOSE_RECONNECT, reason: 'come back later' })
  })

  it('fails the channel on a frame its decode refuses, and closes the socket with 1008 and the reason', async () => {
    const decode = (text: string): unknown => {
      const message = JSON.parse(text) as unknown
      if (message === 'bad') throw new ProtocolError('a bad message')
      return message
    }
    const [client, server] = await openWsPair({ decode })
    const events: string[] = []
    server.on('error', (error) => events.push(`${error.name}: ${error.message}`))
    server.on('close', () => events.push('close'))
    client.send('good')
    client.send('bad')
    await closed(client)
    expect(events).toEqual(['ProtocolError: a bad message', 'close'])
    expect(client.closedWith).toEqual({ code: CLOSE_PROTOCOL_ERROR, reason: 'a bad message' })
  })

  it.each([
    ['a text frame that is not JSON', 'not json {', 'Unexpected token'],
    ['a binary frame', Buffer.from([1, 2, 3]), 'binary messages are not part of the protocol'],
  ])('fails the channel on %s: one error, then close, the peer told 1008 and why', async (_, frame, why) => {
    const { client: raw, server: serverSocket } = connect()
    const server = new WebSocketChannel(await serverSocket)
    made.push(server)
    const events: string[] = []
    server.on('error', (error) => events.push(`error: ${error.message}`))
    server.on('close', () => events.push('close'))
    const closedWith = new Promise<[number, string]>((resolve) =>
      raw.on('close', (code: number, reason: Buffer) => resolve([code, reason.toString('utf8')])),
    )
    if (raw.readyState !== WebSocket.OPEN) await new Promise((resolve) => raw.once('open', resolve))
    raw.send(frame)
    const [code, reason] = await closedWith
    expect(code).toBe(CLOSE_PROTOCOL_ERROR)
    expect(reason).toContain(why)
    expect(events).toHaveLength(2)
    expect(events[0]).toContain(why)
    expect(events[1]).toBe('close')
    expect(server.state).toBe('closed')
  })
})
