import { join } from 'node:path'
import { ROOT } from '../harness/pando-process.ts'
import type { BenchOptions, ForcedTransport, Sizes } from './options.ts'
import type { Tabs } from './tabs.ts'

/** The processing modules the scenarios run. */
export const MODULES = {
  /** Squares at once: the root's and the transport's overhead. */
  square: join(ROOT, 'examples/square-no-delay.js'),
  /** Collatz steps with bignumber.js: CPU-bound. */
  collatz: join(ROOT, 'examples/collatz.js'),
  /** "ID:MS" → ID after MS ms, without the processor: items a tab holds for a known time. */
  hold: join(ROOT, 'bench/fixtures/hold.cjs'),
  /** "ID:MS" → ID after MS ms of looping on the clock: busy for a known time, whatever share of a core it gets. */
  spin: join(ROOT, 'bench/fixtures/spin.cjs'),
  /** "ID:N" → ID after N steps of arithmetic: CPU-bound items of a known amount of work. */
  compute: join(ROOT, 'bench/fixtures/compute.cjs'),
}

/** Whether a transport can be measured here, and why not. */
export interface TransportCheck {
  readonly available: boolean
  readonly reason?: string
}

/** What every scenario gets. */
export interface BenchContext {
  readonly options: BenchOptions
  readonly sizes: Sizes
  /** The shared browser (launched on first use). */
  tabs(): Promise<Tabs>
  /** The transports asked for that work here, in the order asked. */
  readonly transports: readonly ForcedTransport[]
  /** What a volunteer opening the plain URL would use: WebRTC when it works here, else the WebSocket. */
  readonly preferred: ForcedTransport
  /** A progress line on stderr. */
  log(message: string): void
}

export const TRANSPORT_NAMES: Record<ForcedTransport, string> = { websocket: 'WebSocket', webrtc: 'WebRTC' }

/** Formats a number for people: thousands separated, `digits` decimals. */
export function formatNumber(value: number, digits = 0): string {
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })
}
