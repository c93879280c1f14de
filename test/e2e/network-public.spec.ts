import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { joinedTabs, openHostTabs, peerLinks, type HostTabs } from '../support/lab-tabs.ts'
import { createNetworkLab, labAvailable, type LabHost, type NetworkLab } from '../../harness/network-lab.ts'
import { PANDO, PANDO_SERVER, seqLines, startPando, type PandoRun } from '../../harness/pando-process.ts'
import { TURN_PORT, startTurnServer } from '../../harness/turn-server.ts'

const SECRET = 'lab-server-secret-0123456789'
const URL_ON_PUBLIC_HOST = /http:\/\/203\.0\.113\.2:(\d+)\/\?token=[\w-]+/

/**
 * The Internet setting: a `pando-server` on a public host, the root behind the NAT of its own site, the
 * volunteers behind the NAT of another, both NATs cone-like (nftables `masquerade`: one outside port per
 * inside address and port), and a STUN server (coturn) on the public side so that peers learn their mapped
 * addresses. At degree 1 the first tab joins the root across both NATs, the second joins under the first.
 */
describe.skipIf(!labAvailable())('a public pando-server, the root and the tabs behind cone NATs', () => {
  let lab: NetworkLab
  let hosts: Record<'pub' | 'a' | 'c', LabHost>
  const runs: PandoRun[] = []
  const tabs: HostTabs[] = []

  beforeAll(async () => {
    lab = createNetworkLab()
    const internet = await lab.segment('internet', { prefix: '203.0.113' })
    await startTurnServer(await lab.host('stun', internet, 3), 'unused-here')
    const site = async (name: string, index: number): Promise<LabHost> => {
      const lan = await lab.segment(`site${index}`, {
        prefix: `10.${index}.0`,
        uplink: { segment: internet, address: `203.0.113.${10 + index}`, nat: 'cone' },
      })
      return lab.host(name, lan, 2)
    }
    hosts = { pub: await lab.host('pub', internet, 2), a: await site('a', 1), c: await site('c', 2) }
  })
  afterAll(async () => {
    await Promise.all(tabs.map(({ browser }) => browser.close()))
    for (const run of runs) if (run.child.exitCode === null) run.child.kill('SIGKILL')
    await lab?.close()
  })

  it('joins the tabs over WebRTC through both NATs with STUN, and the output is exact', async () => {
    const env = { PANDO_SECRET: SECRET }
    const serverCommand = hosts.pub.command(PANDO_SERVER, ['--port', '0'])
    const server = startPando(serverCommand.args, { bin: serverCommand.file, env })
    runs.push(server)
    const [, port = ''] = await server.waitForStderr(URL_ON_PUBLIC_HOST)
    const rootCommand = hosts.a.command(PANDO, [
      path.join('examples', 'square-no-delay.js'),
      '--stdin',
      '--host',
      `203.0.113.2:${port}`,
      '--degree',
      '1',
      '--ice-servers',
      `stun:203.0.113.3:${TURN_PORT}`,
    ])
    const root = startPando(rootCommand.args, { bin: rootCommand.file, env })
    runs.push(root)
    const [url = ''] = await root.waitForStderr(URL_ON_PUBLIC_HOST)
    const c = await openHostTabs(hosts.c, url, 2)
    tabs.push(c)
    const joined = await joinedTabs([c])
    expect(joined.map((tab) => `${tab.transport} ${tab.depth}`).sort()).toEqual(['WebRTC 1', 'WebRTC 2'])
    // The tab under the root reaches it through both NATs: a server-reflexive (or peer-reflexive) pair.
    const top = joined.find((tab) => tab.depth === 1)
    const [link] = (
      await peerLinks(top?.page ?? (await Promise.reject(new Error('no tab at depth 1'))))
    ).filter((peer) => peer.state === 'connected')
    expect([link?.local, link?.remote].some((type) => type === 'srflx' || type === 'prflx')).toBe(true)

    root.child.stdin.end(seqLines(0, 200))
    const result = await root.exited
    expect(result.stdout).toBe(seqLines(0, 200, (n) => String(n * n)))
    expect(result.code).toBe(0)
  })
})
