import type { Readable } from 'node:stream'
import type { BenchContext } from './context.ts'
import { TRANSPORT_NAMES } from './context.ts'
import type { ForcedTransport } from './options.ts'
import { streamRate, startNetworkedPando, startTimedPando, type TimedPando } from './timed-pando.ts'
import { now } from './clock.ts'

/** Where the items are processed: in the root (`--local`) or in `tabs` tabs over `transport`. */
export type Placement =
  | { readonly kind: 'local' }
  | { readonly kind: 'tabs'; readonly tabs: number; readonly transport: ForcedTransport }

export function placementLabel(placement: Placement): string {
  if (placement.kind === 'local') return '--local'
  const tabs = placement.tabs === 1 ? '1 tab' : `${placement.tabs} tabs`
  return `${tabs}, ${TRANSPORT_NAMES[placement.transport]}`
}

export interface StreamRequest {
  readonly module: string
  readonly args?: readonly string[]
  readonly placement: Placement
  /** The items, one per line; with tabs, written once every tab is ready. */
  readonly input: () => string | Readable
  /** How many lines stdout must have at the end. */
  readonly items: number
  /** Called once pando is started (before any input), e.g. to sample its memory. */
  readonly onStart?: (pando: TimedPando) => void
}

/** Raw figures of one streaming run. */
export interface StreamRecord {
  readonly [key: string]: unknown
  readonly items: number
  /** From the first output line to the last. */
  readonly itemsPerSecond: number | undefined
  readonly streamSeconds: number | undefined
  /** From the moment the input was given to pando's exit. */
  readonly wallSeconds: number
}

/**
 * Streams `items` through a real `pando`, locally or through tabs that are all ready (joined, with a Worker)
 * before the first item is written, and checks that every result came out and pando exited 0.
 */
export async function streamItems(
  context: BenchContext,
  request: StreamRequest,
): Promise<{ record: StreamRecord; pando: TimedPando; inputAt: number }> {
  const { placement } = request
  let pando: TimedPando
  let inputAt: number
  if (placement.kind === 'local') {
    inputAt = now()
    pando = startTimedPando([request.module, ...(request.args ?? []), '--stdin', '--local'], {
      input: request.input(),
    })
    request.onStart?.(pando)
  } else {
    const tabs = await context.tabs()
    const started = await startNetworkedPando([request.module, ...(request.args ?? [])])
    pando = started.pando
    request.onStart?.(pando)
    try {
      const pages = await tabs.open(started.url, placement.transport, placement.tabs, 'bench')
      await tabs.waitUntilReady(pages)
      const shown = await Promise.all(pages.map((page) => tabs.read(page)))
      const wanted = TRANSPORT_NAMES[placement.transport]
      const wrong = shown.find((reading) => reading.transport !== undefined && reading.transport !== wanted)
      if (wrong !== undefined) throw new Error(`a tab uses ${wrong.transport}, not ${wanted}`)
      inputAt = now()
      const input = request.input()
      if (typeof input === 'string') pando.child.stdin.end(input)
      else input.pipe(pando.child.stdin)
    } catch (error) {
      await pando.stop()
      await tabs.closeAll()
      throw error
    }
  }
  const exit = await pando.exited
  const exitAt = now()
  if (placement.kind === 'tabs') await (await context.tabs()).closeAll()
  if (exit.code !== 0) {
    const stderr = pando.stderr.map((line) => line.text).join(' / ')
    throw new Error(`pando exited with ${exit.code ?? exit.signal ?? '?'}: ${stderr}`)
  }
  if (pando.lines() !== request.items) throw new Error(`${pando.lines()} results for ${request.items} items`)
  const rate = streamRate(pando.stdout)
  const first = pando.stdout[0]
  const last = pando.stdout[pando.stdout.length - 1]
  return {
    record: {
      items: request.items,
      itemsPerSecond: rate,
      streamSeconds: first === undefined || last === undefined ? undefined : (last.at - first.at) / 1000,
      wallSeconds: (exitAt - inputAt) / 1000,
    },
    pando,
    inputAt,
  }
}
