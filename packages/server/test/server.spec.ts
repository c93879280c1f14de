import { mkdtemp, writeFile } from 'node:fs/promises'
import { once } from 'node:events'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import { createServer, type PandoServer } from '../src/index.ts'

describe('createServer', () => {
  let volunteerDir: string
  let runDir: string
  let server: PandoServer | undefined
  const connected: WebSocket[] = []

  beforeEach(async () => {
    volunteerDir = await mkdtemp(path.join(os.tmpdir(), 'pando-page-'))
    runDir = await mkdtemp(path.join(os.tmpdir(), 'pando-run-'))
    await writeFile(path.join(volunteerDir, 'index.html'), '<title>volunteer</title>')
    await writeFile(path.join(runDir, 'bundle.js'), 'self.x = 1')
  })

  afterEach(async () => {
    await server?.close()
    server = undefined
    connected.length = 0
  })

  const start = async (heartbeatMs = 60_000): Promise<PandoServer> => {
    server = await createServer({
      port: 0,
      host: '127.0.0.1',
      volunteerDir,
      runDir,
      heartbeatMs,
      onVolunteer: (socket) => connected.push(socket),
    })
    return server
  }

  it('serves the volunteer page at / and the run files at /run/', async () => {
    const { port, urls } = await start()
    expect(urls[0]).toBe(`http://localhost:${port}/`)
    expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).toBe('<title>volunteer</title>')
    expect(await (await fetch(`http://127.0.0.1:${port}/run/bundle.js`)).text()).toBe('self.x = 1')
    expect((await fetch(`http://127.0.0.1:${port}/run/missing.js`)).status).toBe(404)
  })

  it('hands each /volunteer WebSocket to onVolunteer', async () => {
    const { port } = await start()
    const client = new WebSocket(`ws://127.0.0.1:${port}/volunteer`)
    await once(client, 'open')
    await expect.poll(() => connected.length).toBe(1)
    const [received] = await Promise.all([once(client, 'message'), Promise.resolve(connected[0]?.send('hi'))])
    expect(String(received[0])).toBe('hi')
    client.close()
  })

  it('refuses WebSocket upgrades on any other path', async () => {
    const { port } = await start()
    const client = new WebSocket(`ws://127.0.0.1:${port}/elsewhere`)
    const [error] = (await once(client, 'error')) as [Error]
    expect(error.message).toMatch(/socket hang up|closed before/)
    expect(connected).toHaveLength(0)
  })

  it('terminates a volunteer that stops answering pings', async () => {
    const { port } = await start(100)
    const client = new WebSocket(`ws://127.0.0.1:${port}/volunteer`, { autoPong: false })
    await once(client, 'open')
    await expect.poll(() => connected.length).toBe(1)
    const [code] = (await once(connected[0] as WebSocket, 'close')) as [number]
    expect(code).toBe(1006)
  })

  it('keeps a volunteer that answers pings', async () => {
    const { port } = await start(50)
    const client = new WebSocket(`ws://127.0.0.1:${port}/volunteer`)
    await once(client, 'open')
    await new Promise((resolve) => setTimeout(resolve, 400))
    expect(client.readyState).toBe(WebSocket.OPEN)
    client.close()
  })

  it('closes volunteers on close(), and close() may be called twice', async () => {
    const { port } = await start()
    const client = new WebSocket(`ws://127.0.0.1:${port}/volunteer`)
    await once(client, 'open')
    const closed = once(client, 'close')
    await Promise.all([server?.close(), server?.close()])
    const [code] = (await closed) as [number]
    expect(code).toBe(1001)
  })

  it('rejects when the port is taken', async () => {
    const { port } = await start()
    await expect(
      createServer({ port, host: '127.0.0.1', volunteerDir, runDir, onVolunteer: () => undefined }),
    ).rejects.toThrow(/EADDRINUSE/)
  })
})
