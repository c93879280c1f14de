import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { joinedTabs, openHostTabs, type HostTabs } from '../support/lab-tabs.ts'
import { createNetworkLab, labAvailable, type LabHost, type NetworkLab } from '../../harness/network-lab.ts'
import { PANDO, seqLines, startPando } from '../../harness/pando-process.ts'

/**
 * One LAN of the lab (10.77.0.0/24, a gateway at .1 as home routers have): the root on host A, volunteer
 * tabs on hosts B and C with no camera permission, so their host candidates are mDNS `.local` names as real
 * volunteers' are. At degree 1 the tabs make a chain, so tabs join under tabs across hosts.
 */
describe.skipIf(!labAvailable())('a LAN of three hosts', () => {
  let lab: NetworkLab
  let hosts: Record<'a' | 'b' | 'c', LabHost>
  const tabs: HostTabs[] = []

  beforeAll(async () => {
    lab = createNetworkLab()
    const lan = await lab.segment('lan', { prefix: '10.77.0' })
    hosts = { a: await lab.host('a', lan, 2), b: await lab.host('b', lan, 3), c: await lab.host('c', lan, 4) }
  })
  afterAll(async () => {
    await Promise.all(tabs.map(({ browser }) => browser.close()))
    await lab.close()
  })

  it('joins tabs of hosts B and C over WebRTC under one another, deeper than 2, with exact output', async () => {
    const { file, args } = hosts.a.command(PANDO, [
      path.join('examples', 'square-no-delay.js'),
      '--stdin',
      '--port',
      '0',
      '--degree',
      '1',
    ])
    const run = startPando(args, { bin: file })
    try {
      const [url = ''] = await run.waitForStderr(/http:\/\/10\.77\.0\.2:\d+\/\?token=[\w-]+/)
      tabs.push(await openHostTabs(hosts.b, url, 2), await openHostTabs(hosts.c, url, 2))
      const joined = await joinedTabs(tabs)
      expect(joined.map((tab) => tab.transport)).toEqual(['WebRTC', 'WebRTC', 'WebRTC', 'WebRTC'])
      expect(joined.map((tab) => tab.depth).sort()).toEqual([1, 2, 3, 4])
      // A chain of two tabs on each host: at least one tab's parent is a tab of the other host.
      const hostOf = new Map(joined.map((tab) => [tab.id, tab.host]))
      expect(joined.some((tab) => hostOf.has(tab.parent) && hostOf.get(tab.parent) !== tab.host)).toBe(true)

      run.child.stdin.end(seqLines(0, 400))
      const result = await run.exited
      expect(result.stdout).toBe(seqLines(0, 400, (n) => String(n * n)))
      expect(result.code).toBe(0)
    } finally {
      if (run.child.exitCode === null) run.child.kill('SIGKILL')
    }
  })
})
