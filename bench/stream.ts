import type { Readable } from 'node:stream'
import type { BenchContext } from './context.ts'
import { TRANSPORT_NAMES } from './context.ts'
import type { ForcedTransport } from './options.ts'
import { startDelayProxy, type DelayProxy } from '../harness/delay-proxy.ts'
import { streamRate, startNetworkedPando, startTimedPando, type TimedPando } from './timed-pando.ts'
import { now } from './clock.ts'
import { CpuWatch } from './cpu-time.ts'

/**
 * Where the items are processed: in the root (`--local`) or in `tabs` tabs over `transport`; with
 * `oneWayMs`, the tabs load their page through a proxy that holds each chunk that long each way (see
 * harness/delay-proxy.ts: the WebSocket only, a WebRTC path does not go through it).
 */
export type Placement =
  | { readonly kind: 'local' }
  | {
      readonly kind: 'tabs'
      readonly tabs: number
      readonly transport: ForcedTransport
      readonly oneWayMs?: number
      /** Workers per tab (`#workers=N`). @default the tab's own default */
      readonly workers?: number
      /** The CPU use chosen on each tab's page before the items come, in percent. @default 100 */
      readonly cpuLimit?: number
    }

export function placementLabel(placement: Placement): string {
  if (placement.kind === 'local') return '--local'
  const tabs = placement.tabs === 1 ? '1 tab' : `${placement.tabs} tabs`
  const away = placement.oneWayMs === undefined ? '' : `, ${String(2 * placement.oneWayMs)} ms round trip`
  const workers =
    placement.workers === undefined
      ? ''
      : `, ${String(placement.workers)} Worker${placement.workers === 1 ? '' : 's'}`
  const cpu = placement.cpuLimit === undefined ? '' : `, ${String(placement.cpuLimit)} % CPU`
  return `${tabs}, ${TRANSPORT_NAMES[placement.transport]}${away}${workers}${cpu}`
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
  /**
   * CPU µs per item from the input to the last result, of the root (`rootCpuUs`), the page main threads
   * (`pageCpuUs`), the Workers (`workerCpuUs`) and the rest of Chromium (`browserCpuUs`): see `cpuPerItem`.
   * Through tabs only (a local run starts with the input, and its start-up would count).
   */
  readonly cpu?: Record<string, number>
  /** The same CPU time by process and thread (see `cpuByThread`): what `cpu` is made of. */
  readonly cpuThreads?: Record<string, number>
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
  let proxy: DelayProxy | undefined
  let cpuWatch: CpuWatch | undefined
  let cpu: Record<string, number> | undefined
  let cpuThreads: Record<string, number> | undefined
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
      let url = started.url
      if (placement.oneWayMs !== undefined) {
        proxy = await startDelayProxy(Number(new URL(url).port), placement.oneWayMs)
        url = `http://localhost:${String(proxy.port)}/${new URL(url).search}`
      }
      const pages = await tabs.open(url, placement.transport, placement.tabs, 'bench', placement.workers)
      await tabs.waitUntilReady(pages)
      const { cpuLimit } = placement
      if (cpuLimit !== undefined) {
        await Promise.all(pages.map((page) => page.selectOption('#cpu-limit', String(cpuLimit))))
      }
      const shown = await Promise.all(pages.map((page) => tabs.read(page)))
      const wanted = TRANSPORT_NAMES[placement.transport]
      const wrong = shown.find((reading) => reading.transport !== undefined && reading.transport !== wanted)
      if (wrong !== undefined) throw new Error(`a tab uses ${wrong.transport}, not ${wanted}`)
      inputAt = now()
      const watch = new CpuWatch(pando.child.pid)
      cpuWatch = watch
      whenLastResult(pando, request.items, () => {
        cpu = watch.stop(request.items)
        cpuThreads = watch.byThread(request.items)
      })
      const input = request.input()
      if (typeof input === 'string') pando.child.stdin.end(input)
      else input.pipe(pando.child.stdin)
    } catch (error) {
      cpuWatch?.stop(1)
      await pando.stop()
      await tabs.closeAll()
      await proxy?.close()
      throw error
    }
  }
  const exit = await pando.exited
  cpuWatch?.stop(1) // a run that failed before its last result
  const exitAt = now()
  if (placement.kind === 'tabs') await (await context.tabs()).closeAll()
  await proxy?.close()
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
      ...(cpu === undefined ? {} : { cpu }),
      ...(cpuThreads === undefined ? {} : { cpuThreads }),
    },
    pando,
    inputAt,
  }
}

/** Calls `done` once `pando` has written its last result, while it and the tabs still run. */
function whenLastResult(pando: TimedPando, items: number, done: () => void): void {
  const check = (): void => {
    if (pando.lines() < items) return
    pando.child.stdout.off('data', check)
    done()
  }
  pando.child.stdout.on('data', check)
}
