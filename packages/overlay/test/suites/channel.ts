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

export interface ChannelSuiteOptions {
  /**
   * How many more times a failed check runs: only for a transport whose connections themselves sometimes
   * fail to open, for reasons that are not the channel's (see `openPair`). @default 0
   */
  readonly retry?: number
}

export function channelSuite(
  name: string,
  setup: ChannelSuiteSetup,
  options: ChannelSuiteOptions = {},
): void {
  describe(`${name} (Channel compliance)`, () => {
    const tracked = trackedSetup(setup)
    afterEach(() => tracked.closeAll())
    const testOptions = { timeout: LINK_CHECK_TIMEOUT_MS, retry: options.retry ?? 0 }
    for (const check of channelChecks) it(check.name, testOptions, () => check.run(tracked))
  })
}
