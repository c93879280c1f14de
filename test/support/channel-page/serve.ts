// Serves the page of the Channel compliance suite (`entry.ts`, bundled with esbuild) and the relay its
// WebSocket checks go through, on one loopback HTTP server.
import { createServer, type Server } from 'node:http'
import path from 'node:path'
import { build, type Plugin } from 'esbuild'
import { WebSocketServer, type RawData, type WebSocket } from 'ws'

const HERE = import.meta.dirname
const PACKAGES = path.join(HERE, '..', '..', '..', 'packages')

/** `@pando/name` from its sources, as the unit tests take it (no build needed). */
const pandoSources: Plugin = {
  name: 'pando-sources',
  setup(builder) {
    builder.onResolve({ filter: /^@pando\/[a-z-]+$/ }, (args) => ({
      path: path.join(PACKAGES, args.path.slice('@pando/'.length), 'src', 'index.ts'),
    }))
  },
}

/** The page's script: the checks and what they need, for Chromium. */
async function bundle(): Promise<string> {
  const result = await build({
    entryPoints: [path.join(HERE, 'entry.ts')],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'chrome120',
    inject: [path.join(HERE, 'node-globals.ts')],
    define: { global: 'globalThis' },
    plugins: [pandoSources],
    logLevel: 'silent',
  })
  const [output] = result.outputFiles
  if (output === undefined) throw new Error('esbuild wrote nothing')
  return output.text
}

/** A relay of pairs of WebSockets: `/relay/ID/1` and `/relay/ID/2` are joined, frame for frame. */
function relay(wss: WebSocketServer): void {
  /** The ends of each pair so far; `closed` once one left (the other is closed as it comes). */
  const pairs = new Map<string, { ends: WebSocket[]; waiting: [RawData, boolean][]; closed: boolean }>()
  wss.on('connection', (socket, request) => {
    const id = /^\/relay\/([\w-]+)\/[12]$/.exec(request.url ?? '')?.[1]
    if (id === undefined) return socket.close(1008, 'no such relay path')
    const pair = pairs.get(id) ?? { ends: [], waiting: [], closed: false }
    pairs.set(id, pair)
    if (pair.closed) return socket.close(1000, 'the other end left')
    pair.ends.push(socket)
    const other = (): WebSocket | undefined => pair.ends.find((end) => end !== socket)
    if (pair.ends.length === 2) {
      for (const [data, isBinary] of pair.waiting.splice(0)) socket.send(data, { binary: isBinary })
    }
    socket.on('message', (data: RawData, isBinary: boolean) => {
      const to = other()
      if (to === undefined) pair.waiting.push([data, isBinary])
      else to.send(data, { binary: isBinary })
    })
    socket.on('close', (code: number, reason: Buffer) => {
      pair.closed = true
      const sendable = code === 1000 || (code >= 3000 && code <= 4999)
      other()?.close(sendable ? code : 1000, reason.toString('utf8'))
    })
  })
}

export interface ChannelPage {
  /** The page to open. */
  readonly url: string
  /** Where the page's WebSocket pairs meet: `ws://…/relay/`. */
  readonly relayUrl: string
  close(): Promise<void>
}

/** Bundles the page and serves it, with the relay, on 127.0.0.1 (a free port). */
export async function serveChannelPage(): Promise<ChannelPage> {
  const script = await bundle()
  const html =
    '<!doctype html><meta charset="utf-8"><title>Channel compliance</title><script src="/checks.js"></script>'
  const server: Server = createServer((request, response) => {
    const [type, body] = request.url === '/checks.js' ? ['text/javascript', script] : ['text/html', html]
    response.writeHead(200, { 'content-type': `${type}; charset=utf-8` }).end(body)
  })
  const wss = new WebSocketServer({ server })
  relay(wss)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('the page server has no port')
  const origin = `127.0.0.1:${String(address.port)}`
  return {
    url: `http://${origin}/`,
    relayUrl: `ws://${origin}/relay/`,
    close: async () => {
      for (const socket of wss.clients) socket.terminate()
      wss.close()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}
