// The page of `test/e2e/channel-compliance.spec.ts`: the Channel compliance suite's checks, bundled for
// Chromium, run against simple-peer (two peers in the page, the browser's own WebRTC) and against the
// browser's WebSocket (two sockets that the test's relay joins). `runChannelChecks` is what the test calls.
import { createWebRtcConnector, WebSocketChannel } from '@pando/overlay'
import {
  channelChecks,
  LINK_CHECK_TIMEOUT_MS,
  peerSetup,
  trackedSetup,
  type ChannelSuiteSetup,
} from '../../../harness/channel-checks.ts'
import type { ChannelCheckResult, ChannelTransport } from './results.ts'

const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 5))

/** Pairs of browser WebSockets, each pair joined by the relay at `relayUrl` (`…/relay/`). */
function webSocketSetup(relayUrl: string): ChannelSuiteSetup {
  let pairs = 0
  return {
    pair: () => {
      const id = `${String(Date.now())}-${String(++pairs)}`
      const end = (n: number): WebSocketChannel =>
        new WebSocketChannel(new WebSocket(`${relayUrl}${id}/${String(n)}`))
      const first = end(1)
      return { first, second: Promise.resolve(end(2)) }
    },
    settle,
  }
}

/** `promise`, or a rejection once `ms` have passed. */
function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no verdict within ${String(ms)} ms`)), ms)
    promise.then(resolve, reject).finally(() => clearTimeout(timer))
  })
}

/** Runs every check, in order, against `transport`; each check's channels are closed after it. */
async function runChannelChecks(
  transport: ChannelTransport,
  relayUrl: string,
): Promise<ChannelCheckResult[]> {
  const setup = trackedSetup(
    transport === 'simple-peer' ? peerSetup(() => createWebRtcConnector(), settle) : webSocketSetup(relayUrl),
  )
  const results: ChannelCheckResult[] = []
  for (const check of channelChecks) {
    try {
      await within(check.run(setup), LINK_CHECK_TIMEOUT_MS)
      results.push({ name: check.name, passed: true })
    } catch (error) {
      results.push({ name: check.name, passed: false, error: String(error) })
    } finally {
      setup.closeAll()
    }
  }
  return results
}

Object.assign(globalThis, { runChannelChecks })
