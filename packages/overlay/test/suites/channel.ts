// The Channel compliance suite as vitest tests, run against the memory channel, the simple-peer channel over
// node-datachannel and the WebSocket channel over `ws` (memory-channel.spec.ts, simple-peer-channel.spec.ts,
// websocket-channel.spec.ts). The checks themselves are in `harness/channel-checks.ts`, which the e2e file
// `test/e2e/channel-compliance.spec.ts` also runs in Chromium.
import { afterEach, describe, it } from 'vitest'
import {
  channelChecks,
  LINK_CHECK_TIMEOUT_MS,
  trackedSetup,
  type ChannelSuiteSetup,
} from '../../../../harness/channel-checks.ts'

export {
  connectPair,
  openPair,
  peerSetup,
  type ChannelPair,
  type ChannelSuiteSetup,
} from '../../../../harness/channel-checks.ts'

export function channelSuite(name: string, setup: ChannelSuiteSetup): void {
  describe(`${name} (Channel compliance)`, () => {
    const tracked = trackedSetup(setup)
    afterEach(() => tracked.closeAll())
    for (const check of channelChecks) it(check.name, () => check.run(tracked), LINK_CHECK_TIMEOUT_MS)
  })
}
