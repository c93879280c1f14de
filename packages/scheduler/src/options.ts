import { DEFAULT_RETRIES, DEFAULT_WINDOW } from './constants.ts'
import type { LenderOptions } from './types.ts'

export interface ResolvedOptions {
  readonly ordered: boolean
  readonly window: number
  readonly retries: number
}

/** Applies the defaults and checks the values: a `RangeError` names the first bad option. */
export function resolveOptions(options: LenderOptions): ResolvedOptions {
  const { ordered = true, window = DEFAULT_WINDOW, retries = DEFAULT_RETRIES } = options
  checkCount('window', window, 1)
  checkCount('retries', retries, 0)
  return { ordered, window, retries }
}

/** Checks a sub-stream credit: an integer ≥ 0 (0 pauses lending to it). */
export function checkCredit(credit: number): void {
  checkCount('credit', credit, 0)
}

function checkCount(name: string, value: number, min: number): void {
  if (!Number.isSafeInteger(value) || value < min) {
    throw new RangeError(`${name} must be an integer ≥ ${String(min)}, got ${String(value)}`)
  }
}
