// The Channel compliance suite in Chromium: its checks (harness/channel-checks.ts),
// bundled into a page, run against simple-peer over the browser's WebRTC (two peers in the page) and the
// browser's WebSocket (two sockets joined by a relay), each check's verdict reported to the test.
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { channelChecks } from '../../harness/channel-checks.ts'
import type { ChannelCheckResult, ChannelTransport } from '../support/channel-page/results.ts'
import { serveChannelPage, type ChannelPage } from '../support/channel-page/serve.ts'
import { useVolunteerBrowser } from '../support/volunteer-rig.ts'

describe('the Channel compliance suite in Chromium', () => {
  const rig = useVolunteerBrowser()
  let channelPage: ChannelPage | undefined
  beforeAll(async () => {
    channelPage = await serveChannelPage()
  })
  afterAll(async () => {
    await channelPage?.close()
  })

  const run = async (transport: ChannelTransport): Promise<ChannelCheckResult[]> => {
    if (channelPage === undefined) throw new Error('the page is served before the first test')
    const page: Page = await rig.browser.open(channelPage.url)
    const relayUrl = channelPage.relayUrl
    return page.evaluate(
      ([name, relay]) =>
        (
          globalThis as unknown as {
            runChannelChecks(t: string, r: string): Promise<ChannelCheckResult[]>
          }
        ).runChannelChecks(name, relay),
      [transport, relayUrl] as const,
    )
  }

  it.each<ChannelTransport>(['simple-peer', 'websocket'])('passes every check over %s', async (transport) => {
    const results = await run(transport)
    expect(results).toEqual(channelChecks.map((check) => ({ name: check.name, passed: true })))
  })
})
