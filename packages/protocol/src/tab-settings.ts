// How a tab says what it offers: its Workers and its CPU-use setting, as its hello and its reports carry them.
import { ProtocolError } from './errors.ts'
import { MAX_TAB_WORKERS } from './constants.ts'

/** A tab's Workers as it states them: a whole number from 1 to `MAX_TAB_WORKERS`. @throws {ProtocolError} */
export function tabWorkers(value: unknown, what: string): number {
  if (!Number.isSafeInteger(value) || (value as number) < 1 || (value as number) > MAX_TAB_WORKERS) {
    throw new ProtocolError(`${what} is not a whole number from 1 to ${MAX_TAB_WORKERS}`)
  }
  return value as number
}

/** The CPU-use settings a tab offers its volunteer, in percent of each Worker's time. */
export const CPU_LIMITS = [100, 75, 50, 25] as const

/** A tab's CPU-use setting as it reports it: a number above 0 and at most 100. @throws {ProtocolError} */
export function cpuLimit(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value > 100) {
    throw new ProtocolError(`${what} is not a percentage above 0 and at most 100`)
  }
  return value
}
