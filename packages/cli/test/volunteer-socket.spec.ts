import { once } from 'node:events'
import { mkdtemp } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { createServer, type PandoServer } from '@pando/server'
import { afterEach, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import { wsVolunteerSocket, type VolunteerSocket } from '../src/networked/volunteer-socket.ts'

describe('wsVolunteerSocket', () => {
  let server: PandoServer | undefined
  afterEach(async () => {
    await server?.close()
    server = undefined
  })

  it("measures the round trip to the volunteer with the server's pings", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'pando-socket-'))
    const sockets: VolunteerSocket[] = []
    server = await createServer({
      port: 0,
      host: '127.0.0.1',
      volunteerDir: dir,
      runDir: dir,
      heartbeatMs: 50,
      onVolunteer: (socket) => sockets.push(wsVolunteerSocket(socket)),
    })
    const client = new WebSocket(`ws://127.0.0.1:${server.port}/volunteer`)
    await once(client, 'open')
    await expect.poll(() => sockets.length).toBe(1)
    const socket = sockets[0] as VolunteerSocket
    await expect.poll(() => socket.roundTripMs?.() ?? 0).toBeGreaterThan(0)
    expect(socket.roundTripMs?.()).toBeLessThan(1_000)
    client.close()
  })
})
