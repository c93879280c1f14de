import { systemClock, type LenderClock } from './clock.ts'
import {
  DEFAULT_RETRIES,
  DEFAULT_SPECULATE_CEILING_MS,
  DEFAULT_SPECULATE_FLOOR_MS,
  DEFAULT_SPECULATE_MULTIPLE,
  DEFAULT_WINDOW,
} from './constants.ts'
import type { LenderOptions, Placement } from './types.ts'

export interface ResolvedOptions {
  readonly ordered: boolean
  readonly window: number
  readonly windowChars: number
  readonly maxResultChars: number
  readonly maxItemChars: number
  readonly retries: number
  readonly speculate: boolean
  readonly speculateMultiple: number
  readonly speculateFloorMs: number
  readonly speculateCeilingMs: number
  readonly lookAhead: boolean
  readonly nameSettler: boolean
  readonly clock: LenderClock
  readonly placement: Placement | undefined
}

/** Applies the defaults and checks the values: a `RangeError` names the first bad option. */
export function resolveOptions(options: LenderOptions): ResolvedOptions {
  const {
    ordered = true,
    window = DEFAULT_WINDOW,
    windowChars = Number.POSITIVE_INFINITY,
    maxResultChars = Number.POSITIVE_INFINITY,
    maxItemChars = Number.POSITIVE_INFINITY,
    retries = DEFAULT_RETRIES,
    speculate = ordered,
    speculateMultiple = DEFAULT_SPECULATE_MULTIPLE,
    speculateFloorMs = DEFAULT_SPECULATE_FLOOR_MS,
    speculateCeilingMs = DEFAULT_SPECULATE_CEILING_MS,
    lookAhead = false,
    nameSettler = false,
    clock = systemClock,
    placement,
  } = options
  checkCount('window', window, 1)
  checkCount('retries', retries, 0)
  checkAtLeast('windowChars', windowChars, 1)
  checkAtLeast('maxResultChars', maxResultChars, 0)
  checkAtLeast('maxItemChars', maxItemChars, 0)
  if (speculate && !ordered)
    throw new RangeError('speculate needs ordered: true (it copies the reorder head)')
  checkFinite('speculateMultiple', speculateMultiple, Number.MIN_VALUE)
  checkFinite('speculateFloorMs', speculateFloorMs, 0)
  checkFinite('speculateCeilingMs', speculateCeilingMs, speculateFloorMs)
  return {
    ordered,
    window,
    windowChars,
    maxResultChars,
    maxItemChars,
    retries,
    speculate,
    speculateMultiple,
    speculateFloorMs,
    speculateCeilingMs,
    clock,
    lookAhead,
    nameSettler,
    placement,
  }
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

function checkFinite(name: string, value: number, min: number): void {
  if (!Number.isFinite(value) || value < min) {
    const bound = min === Number.MIN_VALUE ? '> 0' : `≥ ${String(min)}`
    throw new RangeError(`${name} must be a finite number ${bound}, got ${String(value)}`)
  }
}

/** A whole number ≥ `min`, or `Infinity` (no bound). */
function checkAtLeast(name: string, value: number, min: number): void {
  if (value !== Number.POSITIVE_INFINITY) checkCount(name, value, min)
}
