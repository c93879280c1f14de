import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { joinedTabs, openHostTabs, tabState, type HostTabs } from '../support/lab-tabs.ts'
import { createNetworkLab, labAvailable, type LabHost, type NetworkLab } from '../../harness/network-lab.ts'
import { PANDO, seqLines, startPando } from '../../harness/pando-process.ts'

const SQUARE_50MS = path.join('test', 'e2e', 'fixtures', 'square-50ms.cjs')

/**
 * A host whose link is cut mid-run (`ip link set … down` on the switch's side): a silent loss, no close on
 * any of its links, as when a laptop leaves the Wi-Fi. Its tab is interior, with children on another host:
 * the root lends its items again once the tab misses the heartbeat, and the children, whose parent went
 * silent, rejoin the tree.
 */
describe.skipIf(!labAvailable())('a host cut from the LAN mid-run', () => {
  let lab: NetworkLab
  let hosts: Record<'a' | 'b' | 'c', LabHost>
  const tabs: HostTabs[] = []

  beforeAll(async () => {
    lab = createNetworkLab()
    const lan = await lab.segment('lan', { prefix: '10.78.0' })
    hosts = { a: await lab.host('a', lan, 2), b: await lab.host('b', lan, 3), c: await lab.host('c', lan, 4) }
  })
  afterAll(async () => {
    await Promise.all(tabs.map(({ browser }) => browser.close()))
    await lab.close()
  })

  it("lends the cut tab's items again, its children rejoin, and the output is exact", async () => {
    const { file, args } = hosts.a.command(PANDO, [
      SQUARE_50MS,
      '--stdin',
      '--port',
      '0',
      '--degree',
      '1',
      // The shortest heartbeat a busy machine allows: the cut tab's silence is what the root and its
      // children wait for.
      '--heartbeat',
      '1000',
    ])
    const run = startPando(args, { bin: file })
    try {
      const [url = ''] = await run.waitForStderr(/http:\/\/10\.78\.0\.2:\d+\/\?token=[\w-]+/)
      // B's tab first, so it is the root's child and C's two tabs join below it.
      const b = await openHostTabs(hosts.b, url, 1)
      tabs.push(b)
      const [interior] = await joinedTabs([b])
      if (interior === undefined) throw new Error('no tab on B')
      const c = await openHostTabs(hosts.c, url, 2)
      tabs.push(c)
      const children = await joinedTabs([c])
      expect([interior, ...children].map((tab) => `${tab.transport} ${tab.depth}`).sort()).toEqual([
        'WebRTC 1',
        'WebRTC 2',
        'WebRTC 3',
      ])
      const child = children.find((tab) => tab.depth === 2)
      expect(child?.parent).toBe(interior.id)

      run.child.stdin.write(seqLines(0, 100))
      await run.waitForLines(20)
      await hosts.b.cut()
      // The child whose parent went silent finds the root by itself, its own child follows it; the tab of B
      // is gone for good.
      const placesOfC = async (): Promise<string[]> => {
        const states = await Promise.all(c.pages.map((page) => tabState(page, 'c')))
        return states.map((tab) => `${tab.transport} ${tab.depth}`).sort()
      }
      await expect.poll(placesOfC, { timeout: 60_000, interval: 250 }).toEqual(['WebRTC 1', 'WebRTC 2'])
      run.child.stdin.end(seqLines(100, 200))
      const result = await run.exited
      expect(result.stdout).toBe(seqLines(0, 200, (n) => String(n * n)))
      expect(result.code).toBe(0)
      expect(result.stderr).toMatch(/volunteers? '[^']+'[^\n]* left: /)
    } finally {
      if (run.child.exitCode === null) run.child.kill('SIGKILL')
    }
  })
})
