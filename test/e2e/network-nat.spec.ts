import path from 'node:path'
import type { Browser } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import {
  joinedTabs,
  launchHostChromium,
  openHostTabs,
  peerLinks,
  tabState,
  type HostTabs,
} from '../support/lab-tabs.ts'
import { createNetworkLab, labAvailable, type LabHost, type NetworkLab } from '../../harness/network-lab.ts'
import { PANDO, PANDO_SERVER, seqLines, startPando } from '../../harness/pando-process.ts'
import { TURN_PORT, startTurnServer, type TurnServer } from '../../harness/turn-server.ts'

const TURN_SECRET = 'lab-turn-secret-0123456789'
const SERVER_SECRET = 'lab-server-secret-0123456789'
const SQUARE = path.join('examples', 'square-no-delay.js')

/**
 * Volunteers behind symmetric NATs (nftables `masquerade random,fully-random`: a new outside port for each
 * destination), each at a site of its own, the root and coturn on the lab's "Internet" (203.0.113.0/24). A
 * tab behind one NAT reaches the public root directly (the root learns its mapped address from its checks),
 * but two tabs behind two symmetric NATs cannot reach each other without a relay. Host A, behind a third
 * symmetric NAT, holds a root that needs TURN itself.
 */
describe.skipIf(!labAvailable())('volunteers behind symmetric NATs', () => {
  let lab: NetworkLab
  let hosts: Record<'pub' | 'a' | 'b' | 'c', LabHost>
  let turn: TurnServer
  let tabs: HostTabs[] = []
  /** Each host's Chromium, launched for its first tabs and kept for the file: a context per run. */
  const chromiums = new Map<LabHost, Promise<Browser>>()

  /** Opens a tab inside `host` on `url`, in the host's Chromium, closed after the test. */
  async function openTab(host: LabHost, url: string): Promise<HostTabs> {
    let chromium = chromiums.get(host)
    if (chromium === undefined) {
      chromium = launchHostChromium(host)
      chromiums.set(host, chromium)
    }
    const opened = await openHostTabs(host, url, 1, await chromium)
    tabs.push(opened)
    return opened
  }

  beforeAll(async () => {
    lab = createNetworkLab()
    const internet = await lab.segment('internet', { prefix: '203.0.113' })
    const turnHost = await lab.host('turn', internet, 3)
    turn = await startTurnServer(turnHost, TURN_SECRET)
    const site = async (name: string, index: number): Promise<LabHost> => {
      const lan = await lab.segment(`site${index}`, {
        prefix: `10.${index}.0`,
        uplink: { segment: internet, address: `203.0.113.${10 + index}`, nat: 'symmetric' },
      })
      return lab.host(name, lan, 2)
    }
    hosts = {
      pub: await lab.host('pub', internet, 2),
      a: await site('a', 3),
      b: await site('b', 1),
      c: await site('c', 2),
    }
  })
  afterEach(async () => {
    await Promise.all(tabs.map(({ browser }) => browser.close()))
    tabs = []
  })
  afterAll(async () => {
    await Promise.all([...chromiums.values()].map(async (chromium) => (await chromium).close()))
    await lab?.close()
  })

  /** The root on the public host; B's tab joins it first, then C's joins under B's (degree 1). */
  async function runThroughNats(options: readonly string[], env: Record<string, string> = {}) {
    const { file, args } = hosts.pub.command(PANDO, [SQUARE, '--stdin', '--degree', '1', ...options])
    const run = startPando(args, { bin: file, env })
    const [url = ''] = await run.waitForStderr(/http:\/\/203\.0\.113\.2:\d+\/\?token=[\w-]+/)
    const b = await openTab(hosts.b, url)
    const [first] = await joinedTabs([b])
    const opened = Date.now()
    const c = await openTab(hosts.c, url)
    const [second] = await joinedTabs([c])
    if (first === undefined || second === undefined) throw new Error('the tabs did not join')
    return { run, first, second, joinMs: Date.now() - opened, c }
  }

  it('relays the data channel between two tabs through coturn with --turn-secret credentials', async () => {
    const { run, first, second, c } = await runThroughNats(
      ['--port', '0', '--ice-servers', `turn:203.0.113.3:${TURN_PORT}`],
      { PANDO_TURN_SECRET: TURN_SECRET },
    )
    try {
      expect([first.transport, first.depth, second.transport, second.depth]).toEqual([
        'WebRTC',
        1,
        'WebRTC',
        2,
      ])
      // The page may show its depth before it knows its parent's id ('–': read so twice at a load of 22).
      const cTab = c.pages[0]
      if (cTab === undefined) throw new Error('no tab on C')
      await expect.poll(async () => (await tabState(cTab, 'c')).parent, { timeout: 30_000 }).toBe(first.id)
      // C's tab was given credentials of its own, made from the secret, and its link to B's tab is relayed.
      const links = await peerLinks(cTab)
      const connected = links.filter((link) => link.state === 'connected')
      expect(connected).toHaveLength(1)
      const [server] = connected[0]?.iceServers ?? []
      expect(server).toMatchObject({
        urls: `turn:203.0.113.3:${TURN_PORT}`,
        username: expect.stringMatching(/^\d+:[0-9a-f]{16}$/),
        credential: expect.stringMatching(/^[\w+/]{27}=$/),
      })
      expect([connected[0]?.local, connected[0]?.remote]).toContain('relay')
      expect(turn.log()).toMatch(/ALLOCATE processed, success/)
      expect(run.stderr()).not.toContain(TURN_SECRET)

      run.child.stdin.end(seqLines(0, 200))
      const result = await run.exited
      expect(result.stdout).toBe(seqLines(0, 200, (n) => String(n * n)))
      expect(result.code).toBe(0)
    } finally {
      if (run.child.exitCode === null) run.child.kill('SIGKILL')
    }
  })

  it("relays them with credentials made by a pando-server's --turn-secret, for a root with --host", async () => {
    const serverCommand = hosts.pub.command(PANDO_SERVER, ['--port', '0'])
    const server = startPando(serverCommand.args, {
      bin: serverCommand.file,
      env: { PANDO_SECRET: SERVER_SECRET, PANDO_TURN_SECRET: TURN_SECRET },
    })
    try {
      const [, port = ''] = await server.waitForStderr(/http:\/\/203\.0\.113\.2:(\d+)\/\?token=/)
      // The root knows no TURN secret: it names the TURN server, and the pando-server gives the credentials.
      const { run, first, second, c } = await runThroughNats(
        ['--host', `203.0.113.2:${port}`, '--ice-servers', `turn:203.0.113.3:${TURN_PORT}`],
        { PANDO_SECRET: SERVER_SECRET },
      )
      try {
        expect([first.transport, first.depth, second.transport, second.depth]).toEqual([
          'WebRTC',
          1,
          'WebRTC',
          2,
        ])
        const [link] = (await peerLinks(c.pages[0] ?? (await Promise.reject(new Error('no tab'))))).filter(
          (peer) => peer.state === 'connected',
        )
        expect(link?.iceServers[0]?.username).toMatch(/^\d+:[0-9a-f]{16}$/)
        expect([link?.local, link?.remote]).toContain('relay')
        run.child.stdin.end(seqLines(0, 200))
        const result = await run.exited
        expect(result.stdout).toBe(seqLines(0, 200, (n) => String(n * n)))
        expect(result.code).toBe(0)
      } finally {
        if (run.child.exitCode === null) run.child.kill('SIGKILL')
      }
    } finally {
      server.child.kill('SIGKILL')
    }
  })

  it('falls back to the WebSocket without TURN, after the bootstrap timeout', async () => {
    const { run, first, second, joinMs, c } = await runThroughNats([
      '--port',
      '0',
      '--bootstrap-timeout',
      '3000',
    ])
    try {
      expect([first.transport, first.depth, second.transport]).toEqual(['WebRTC', 1, 'WebSocket'])
      const note = (await c.pages[0]?.textContent('#transport-note'))?.trim()
      console.log(
        `symmetric NATs without TURN: C's tab on the WebSocket ${joinMs} ms after it opened (${note})`,
      )
      expect(joinMs).toBeGreaterThanOrEqual(3000)
      run.child.stdin.end(seqLines(0, 200))
      const result = await run.exited
      expect(result.stdout).toBe(seqLines(0, 200, (n) => String(n * n)))
      expect(result.code).toBe(0)
      expect((await tabState(c.pages[0] ?? (await Promise.reject(new Error('no tab'))), 'c')).transport).toBe(
        'WebSocket',
      )
    } finally {
      if (run.child.exitCode === null) run.child.kill('SIGKILL')
    }
  })

  it('lets a root behind a symmetric NAT allocate its own relay with --turn-secret credentials', async () => {
    const serverCommand = hosts.pub.command(PANDO_SERVER, ['--port', '0'])
    const server = startPando(serverCommand.args, {
      bin: serverCommand.file,
      env: { PANDO_SECRET: SERVER_SECRET },
    })
    try {
      const [, port = ''] = await server.waitForStderr(/http:\/\/203\.0\.113\.2:(\d+)\/\?token=/)
      // The root makes its own credentials from the secret (a username `EXPIRY:ID`, with a colon, that
      // node-datachannel must be given percent-encoded) and the pages' (the pando-server has no secret).
      const rootCommand = hosts.a.command(PANDO, [
        SQUARE,
        '--stdin',
        '--host',
        `203.0.113.2:${port}`,
        '--ice-servers',
        `turn:203.0.113.3:${TURN_PORT}`,
      ])
      const run = startPando(rootCommand.args, {
        bin: rootCommand.file,
        env: { PANDO_SECRET: SERVER_SECRET, PANDO_TURN_SECRET: TURN_SECRET },
      })
      try {
        const [url = ''] = await run.waitForStderr(/http:\/\/203\.0\.113\.2:\d+\/\?token=[\w-]+/)
        const b = await openTab(hosts.b, url)
        const [tab] = await joinedTabs([b])
        expect([tab?.transport, tab?.depth]).toEqual(['WebRTC', 1])
        // The root has a relay of its own: an allocation that opened a permission for the tab's NAT (only the
        // root has a candidate there). Before its credentials were encoded, coturn refused it (401).
        const relays = relayPeers(turn.log())
        expect([...relays.values()].some((peers) => peers.includes('203.0.113.11'))).toBe(true)
        run.child.stdin.end(seqLines(0, 200))
        const result = await run.exited
        expect(result.stdout).toBe(seqLines(0, 200, (n) => String(n * n)))
        expect(result.code).toBe(0)
        expect(run.stderr()).not.toContain(TURN_SECRET)
      } finally {
        if (run.child.exitCode === null) run.child.kill('SIGKILL')
      }
    } finally {
      server.child.kill('SIGKILL')
    }
  })
})

/**
 * The relays coturn allocated, by session: the addresses each one's owner opened permissions for (its peers'
 * candidates), read from coturn's verbose log.
 */
function relayPeers(log: string): Map<string, string[]> {
  const relays = new Map<string, string[]>()
  for (const [, session = ''] of log.matchAll(
    /session (\d+): realm <[^>]*> user <[^>]+>: incoming packet ALLOCATE processed, success/g,
  )) {
    relays.set(session, [])
  }
  for (const [, session = '', peer = ''] of log.matchAll(/session (\d+): peer ([\d.]+) lifetime updated/g)) {
    relays.get(session)?.push(peer)
  }
  return relays
}
