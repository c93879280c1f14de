import { mkdtemp, writeFile } from 'node:fs/promises'
import { once } from 'node:events'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { MonitorMessage } from '@pando/protocol'
import { WebSocket } from 'ws'
import {
  CONTENT_SECURITY_POLICY,
  createServer,
  VIEWER_SENT_DATA_CODE,
  type PandoServer,
} from '../src/index.ts'

/** A status as the root would push it (its content does not matter to the server). */
function status(done: number): MonitorMessage {
  return {
    type: 'status',
    timestamp: 1_700_000_000_000 + done,
    run: { startedAt: 1_700_000_000_000, elapsedMs: done, itemsTotal: null },
    totals: { read: done, done, inFlight: 0, relent: 0, failed: 0, volunteers: 0, rate: 0, averageRate: 0 },
    volunteers: [],
    tree: [],
  }
}

/** A dashboard viewer that records every message it gets. */
async function viewer(port: number): Promise<{ socket: WebSocket; received: MonitorMessage[] }> {
  const socket = new WebSocket(`ws://127.0.0.1:${port}/monitor/feed`)
  const received: MonitorMessage[] = []
  socket.on('message', (data) => received.push(JSON.parse(String(data)) as MonitorMessage))
  await once(socket, 'open')
  return { socket, received }
}

describe('createServer', () => {
  let volunteerDir: string
  let runDir: string
  let dashboardDir: string
  let server: PandoServer | undefined
  const connected: WebSocket[] = []

  beforeEach(async () => {
    volunteerDir = await mkdtemp(path.join(os.tmpdir(), 'pando-page-'))
    runDir = await mkdtemp(path.join(os.tmpdir(), 'pando-run-'))
    dashboardDir = await mkdtemp(path.join(os.tmpdir(), 'pando-dashboard-'))
    await writeFile(path.join(dashboardDir, 'index.html'), '<title>dashboard</title>')
    await writeFile(path.join(volunteerDir, 'index.html'), '<title>volunteer</title>')
    await writeFile(path.join(runDir, 'bundle.js'), 'self.x = 1')
  })

  afterEach(async () => {
    await server?.close()
    server = undefined
    connected.length = 0
  })

  const start = async (heartbeatMs = 60_000, withDashboard = true): Promise<PandoServer> => {
    server = await createServer({
      port: 0,
      host: '127.0.0.1',
      volunteerDir,
      runDir,
      heartbeatMs,
      onVolunteer: (socket) => connected.push(socket),
      ...(withDashboard ? { dashboardDir } : {}),
    })
    return server
  }

  it('with a token: prints it in its URLs, wants it everywhere but on hashed scripts, keeps it on redirects', async () => {
    await writeFile(path.join(volunteerDir, 'main.0123abcd.js'), '// the page')
    server = await createServer({
      port: 0,
      host: '127.0.0.1',
      volunteerDir,
      dashboardDir,
      runDir,
      heartbeatMs: 60_000,
      onVolunteer: (socket) => connected.push(socket),
      access: { token: 'tok' },
    })
    const { port } = server
    expect(server.urls).toEqual([`http://127.0.0.1:${port}/?token=tok`])
    expect(server.dashboardUrls).toEqual([`http://127.0.0.1:${port}/monitor/?token=tok`])
    const base = `http://127.0.0.1:${port}`
    expect((await fetch(`${base}/run/bundle.js`)).status).toBe(403)
    expect((await fetch(`${base}/run/bundle.js?token=tok`)).status).toBe(200)
    expect((await fetch(`${base}/main.0123abcd.js`)).status).toBe(200)
    const redirect = await fetch(`${base}/monitor?token=tok`, { redirect: 'manual' })
    expect(redirect.headers.get('location')).toBe('/monitor/?token=tok')
  })

  it('serves the volunteer page at / and the run files at /run/', async () => {
    const { port, urls } = await start()
    // Listening on 127.0.0.1 alone, the URL names it (not localhost, which may mean ::1 first).
    expect(urls).toEqual([`http://127.0.0.1:${port}/`])
    expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).toBe('<title>volunteer</title>')
    expect(await (await fetch(`http://127.0.0.1:${port}/run/bundle.js`)).text()).toBe('self.x = 1')
    expect((await fetch(`http://127.0.0.1:${port}/run/missing.js`)).status).toBe(404)
  })

  it("caches the pages' hashed scripts for good, and checks index.html and other files again", async () => {
    await writeFile(path.join(volunteerDir, 'main.0123abcd.js'), 'void 0')
    await writeFile(path.join(volunteerDir, 'plain.js'), 'void 0')
    await writeFile(path.join(dashboardDir, 'main.89abcdef.js'), 'void 0')
    const { port } = await start()
    const cacheControl = async (file: string): Promise<string | null> =>
      (await fetch(`http://127.0.0.1:${port}/${file}`)).headers.get('cache-control')
    expect(await cacheControl('main.0123abcd.js')).toBe('public, max-age=31536000, immutable')
    expect(await cacheControl('monitor/main.89abcdef.js')).toBe('public, max-age=31536000, immutable')
    expect(await cacheControl('')).toBe('public, max-age=0')
    expect(await cacheControl('plain.js')).toBe('public, max-age=0')
    expect(await cacheControl('run/bundle.js')).toBeNull()
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

  it('stamps its pings, so that a pong tells the round trip to the volunteer', async () => {
    const { port } = await start(50)
    const client = new WebSocket(`ws://127.0.0.1:${port}/volunteer`)
    await once(client, 'open')
    await expect.poll(() => connected.length).toBe(1)
    const [payload] = (await once(connected[0] as WebSocket, 'pong')) as [Buffer]
    // The ping's stamp, echoed: when it was sent, by the server's (this process's) monotonic clock.
    const stamp = payload.toString('latin1')
    expect(stamp).toMatch(/^\d{1,15}\.\d{3}$/)
    const roundTrip = performance.now() - Number(stamp)
    expect(roundTrip).toBeGreaterThanOrEqual(0)
    expect(roundTrip).toBeLessThan(1_000)
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

  describe('monitoring', () => {
    it('serves the dashboard at /monitor/, redirecting /monitor there', async () => {
      const { port, dashboardUrls } = await start()
      expect(dashboardUrls).toEqual([`http://127.0.0.1:${port}/monitor/`])
      expect(await (await fetch(`http://127.0.0.1:${port}/monitor/`)).text()).toBe('<title>dashboard</title>')
      const redirect = await fetch(`http://127.0.0.1:${port}/monitor`, { redirect: 'manual' })
      expect(redirect.status).toBe(301)
      expect(redirect.headers.get('location')).toBe('/monitor/')
      expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).toBe('<title>volunteer</title>')
    })

    it('serves no dashboard without dashboardDir, but keeps the feed', async () => {
      const { port, dashboardUrls } = await start(60_000, false)
      expect(dashboardUrls).toEqual([])
      expect((await fetch(`http://127.0.0.1:${port}/monitor/`)).status).toBe(404)
      const { socket, received } = await viewer(port)
      server?.broadcastStatus(status(1))
      await expect.poll(() => received).toEqual([status(1)])
      socket.close()
    })

    it('broadcasts each status to every viewer', async () => {
      const { port } = await start()
      const viewers = await Promise.all([viewer(port), viewer(port), viewer(port)])
      await expect.poll(() => server?.monitorViewerCount()).toBe(3)
      for (const { received } of viewers) expect(received).toEqual([])
      server?.broadcastStatus(status(1))
      server?.broadcastStatus(status(2))
      for (const { received } of viewers) await expect.poll(() => received).toEqual([status(1), status(2)])
      for (const { socket } of viewers) socket.close()
      await expect.poll(() => server?.monitorViewerCount()).toBe(0)
    })

    it('sends the last status to a viewer that connects later', async () => {
      const { port } = await start()
      server?.broadcastStatus(status(1))
      server?.broadcastStatus(status(2))
      const late = await viewer(port)
      await expect.poll(() => late.received).toEqual([status(2)])
      server?.broadcastStatus(status(3))
      await expect.poll(() => late.received).toEqual([status(2), status(3)])
      late.socket.close()
    })

    it('sends the status as it is now to a viewer that connects, when it can make one', async () => {
      let now: MonitorMessage | undefined
      server = await createServer({
        port: 0,
        host: '127.0.0.1',
        volunteerDir,
        runDir,
        onVolunteer: () => undefined,
        statusNow: () => now,
      })
      const { port } = server
      server.broadcastStatus(status(1))
      now = status(2)
      const late = await viewer(port)
      await expect.poll(() => late.received).toEqual([status(2)])
      // Without one to make (the run has not started reporting), the last status broadcast.
      now = undefined
      const later = await viewer(port)
      await expect.poll(() => later.received).toEqual([status(1)])
      late.socket.close()
      later.socket.close()
    })

    it('closes a viewer that sends anything, with a reason, and keeps the others', async () => {
      const { port } = await start()
      const chatty = await viewer(port)
      const quiet = await viewer(port)
      const closed = once(chatty.socket, 'close')
      chatty.socket.send('hello?')
      const [code, reason] = (await closed) as [number, Buffer]
      expect(code).toBe(VIEWER_SENT_DATA_CODE)
      expect(String(reason)).toBe('the monitor feed is read-only')
      server?.broadcastStatus(status(1))
      await expect.poll(() => quiet.received).toEqual([status(1)])
      quiet.socket.close()
    })

    it('keeps volunteers and viewers apart', async () => {
      const { port } = await start()
      const watcher = await viewer(port)
      const volunteer = new WebSocket(`ws://127.0.0.1:${port}/volunteer`)
      await once(volunteer, 'open')
      await expect.poll(() => connected.length).toBe(1)
      expect(server?.monitorViewerCount()).toBe(1)
      const got: string[] = []
      volunteer.on('message', (data) => got.push(String(data)))
      server?.broadcastStatus(status(1))
      await expect.poll(() => watcher.received).toHaveLength(1)
      expect(got).toEqual([])
      volunteer.close()
      watcher.socket.close()
    })

    it('drops a viewer that stops answering pings', async () => {
      const { port } = await start(100)
      const socket = new WebSocket(`ws://127.0.0.1:${port}/monitor/feed`, { autoPong: false })
      await once(socket, 'open')
      const [code] = (await once(socket, 'close')) as [number]
      expect(code).toBe(1006)
      await expect.poll(() => server?.monitorViewerCount()).toBe(0)
    })

    it('closes viewers on close()', async () => {
      const { port } = await start()
      const { socket } = await viewer(port)
      const closed = once(socket, 'close')
      await server?.close()
      const [code] = (await closed) as [number]
      expect(code).toBe(1001)
    })
  })
})

describe('security headers', () => {
  it('serves every page and script with a restrictive Content-Security-Policy', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'pando-csp-'))
    await writeFile(path.join(dir, 'index.html'), '<title>page</title>')
    const server = await createServer({
      port: 0,
      host: '127.0.0.1',
      volunteerDir: dir,
      runDir: dir,
      onVolunteer: () => undefined,
    })
    try {
      for (const url of ['/', '/run/index.html']) {
        const response = await fetch(`http://127.0.0.1:${server.port}${url}`)
        expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY)
        expect(response.headers.get('x-content-type-options')).toBe('nosniff')
      }
      // Express's own 404 page is stricter still.
      const missing = await fetch(`http://127.0.0.1:${server.port}/missing`)
      expect(missing.headers.get('content-security-policy')).toBe("default-src 'none'")
      expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'")
      expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe-eval')
    } finally {
      await server.close()
    }
  })
})
