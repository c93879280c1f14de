// Builds the network lab of the e2e tests by hand, to try pando through real networks, and keeps it until
// Enter or Ctrl-C. Inside the loopback-only namespace, as root (npm run setup installs nft and coturn):
//
//   node scripts/loopback-only.mjs npx tsx scripts/network-lab.ts [lan|nat]
//
// lan: hosts a, b, c on 10.77.0.0/24 (gateway .1). nat: the "Internet" 203.0.113.0/24 with host pub (.2)
// running coturn (secret "lab-secret"), and two sites behind NATs: site1 (cone, 10.1.0.0/24, host a) and
// site2 (symmetric, 10.2.0.0/24, host b). Enter a host with the printed `nsenter -t PID -n` command.
import { createNetworkLab, type LabHost } from '../harness/network-lab.ts'
import { startTurnServer } from '../harness/turn-server.ts'

const scenario = process.argv[2] ?? 'lan'
const lab = createNetworkLab()
const hosts: LabHost[] = []
try {
  if (scenario === 'lan') {
    const lan = await lab.segment('lan', { prefix: '10.77.0' })
    for (const [index, name] of ['a', 'b', 'c'].entries()) hosts.push(await lab.host(name, lan, index + 2))
  } else if (scenario === 'nat') {
    const internet = await lab.segment('internet', { prefix: '203.0.113' })
    const pub = await lab.host('pub', internet, 2)
    await startTurnServer(pub, 'lab-secret')
    const site1 = await lab.segment('site1', {
      prefix: '10.1.0',
      uplink: { segment: internet, address: '203.0.113.11', nat: 'cone' },
    })
    const site2 = await lab.segment('site2', {
      prefix: '10.2.0',
      uplink: { segment: internet, address: '203.0.113.12', nat: 'symmetric' },
    })
    hosts.push(pub, await lab.host('a', site1, 2), await lab.host('b', site2, 2))
  } else {
    throw new Error(`no scenario ${scenario}: lan or nat`)
  }
  for (const host of hosts) {
    console.log(`${host.name}\t${host.address}\tnsenter -t ${host.pid} -n sh\tChromium: ${host.chromium}`)
  }
  console.log('the lab is up: Enter or Ctrl-C ends it')
  await new Promise((resolve) => {
    process.stdin.once('data', resolve).once('end', resolve)
    process.once('SIGINT', resolve)
  })
} finally {
  await lab.close()
}
