import { seqLines } from '../harness/pando-process.ts'
import { sleep } from './clock.ts'
import { MODULES, TRANSPORT_NAMES, type TransportCheck } from './context.ts'
import type { ForcedTransport } from './options.ts'
import type { Tabs } from './tabs.ts'
import { startNetworkedPando } from './timed-pando.ts'

const PROBE_ITEMS = 4
const PROBE_TIMEOUT_MS = 20_000

/**
 * Whether a tab told to use `transport` processes a few items: the volunteer page may not have it yet (the
 * page shows its transport in `#transport`; a page without that element only has the WebSocket).
 */
export async function checkTransport(tabs: Tabs, transport: ForcedTransport): Promise<TransportCheck> {
  const { pando, url } = await startNetworkedPando([MODULES.hold], {
    input: seqLines(0, PROBE_ITEMS, (n) => `${n}:0`),
  })
  try {
    const [page] = await tabs.open(url, transport, 1, 'probe')
    if (page === undefined) return { available: false, reason: 'no tab' }
    const exit = await Promise.race([pando.exited, sleep(PROBE_TIMEOUT_MS).then(() => undefined)])
    const shown = (await tabs.read(page)).transport
    if (shown === undefined) {
      return transport === 'websocket'
        ? { available: exit?.code === 0 }
        : { available: false, reason: 'the volunteer page has no WebRTC transport yet (no #transport)' }
    }
    if (shown !== TRANSPORT_NAMES[transport]) {
      return { available: false, reason: `a tab asked for ${TRANSPORT_NAMES[transport]} uses ${shown}` }
    }
    if (exit === undefined) {
      return {
        available: false,
        reason: `${PROBE_ITEMS} items not processed within ${PROBE_TIMEOUT_MS / 1000} s`,
      }
    }
    return exit.code === 0
      ? { available: true }
      : { available: false, reason: `pando exited with ${exit.code}` }
  } finally {
    await pando.stop()
    await tabs.closeAll()
  }
}
