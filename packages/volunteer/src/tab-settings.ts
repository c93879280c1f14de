// What the volunteer chose for this tab: how many Workers it lends, how much of their time, and when it
// pauses by itself. Pure: the page reads the URL hash and localStorage, and hands them in.
import { CPU_LIMITS, MAX_TAB_WORKERS } from '@pando/protocol'
import { TAB_SETTINGS_STORAGE_KEY } from './constants.ts'
import type { NameStorage } from './device-name.ts'
import { hashEntries } from './url-hash.ts'

/** A CPU-use setting the page offers, in percent of each Worker's time. */
export type CpuLimit = (typeof CPU_LIMITS)[number]

/** The volunteer's choices for this tab. */
export interface TabSettings {
  /** Workers the tab runs, 1 to `MAX_TAB_WORKERS`. */
  readonly workers: number
  /** The share of each Worker's time it computes, in percent (see `restAfter`). */
  readonly cpuLimit: CpuLimit
  /** Pause while the tab is hidden (another tab in front, the window minimized). */
  readonly pauseWhenHidden: boolean
  /** Pause while the device runs on battery, where the browser tells (`navigator.getBattery`). */
  readonly pauseOnBattery: boolean
}

/** The Workers a tab runs by default: one less than the machine's cores (one left for the rest), at least 1. */
export function defaultWorkers(hardwareConcurrency: number | undefined): number {
  const cores = Number.isSafeInteger(hardwareConcurrency) ? (hardwareConcurrency as number) : 1
  return clampWorkers(cores - 1)
}

/** `value` as a Worker count: a whole number from 1 to `MAX_TAB_WORKERS`. */
export function clampWorkers(value: number): number {
  return Math.min(MAX_TAB_WORKERS, Math.max(1, Math.floor(Number.isFinite(value) ? value : 1)))
}

/** A Worker count as given in the URL (`#workers=N`) or stored: a whole number ≥ 1, else undefined. */
function parseWorkers(text: unknown): number | undefined {
  if (typeof text === 'number')
    return Number.isSafeInteger(text) && text >= 1 ? clampWorkers(text) : undefined
  if (typeof text !== 'string' || !/^\d+$/.test(text)) return undefined
  const count = Number(text)
  return count >= 1 ? clampWorkers(count) : undefined
}

/** `#workers=N` in the page's URL hash, if it has a valid one. */
export function workersFromHash(hash: string): number | undefined {
  const entry = hashEntries(hash).find(([key]) => key === 'workers')
  return entry === undefined ? undefined : parseWorkers(entry[1])
}

function isCpuLimit(value: unknown): value is CpuLimit {
  return (CPU_LIMITS as readonly unknown[]).includes(value)
}

/** What was stored, field by field: a bad or missing field is left out (its default applies). */
function readStored(storage: NameStorage | undefined): Partial<TabSettings> {
  let stored: unknown
  try {
    stored = JSON.parse(storage?.getItem(TAB_SETTINGS_STORAGE_KEY) ?? 'null')
  } catch {
    return {}
  }
  if (typeof stored !== 'object' || stored === null) return {}
  const record = stored as Record<string, unknown>
  const workers = parseWorkers(record.workers)
  return {
    ...(workers === undefined ? {} : { workers }),
    ...(isCpuLimit(record.cpuLimit) ? { cpuLimit: record.cpuLimit } : {}),
    ...(typeof record.pauseWhenHidden === 'boolean' ? { pauseWhenHidden: record.pauseWhenHidden } : {}),
    ...(typeof record.pauseOnBattery === 'boolean' ? { pauseOnBattery: record.pauseOnBattery } : {}),
  }
}

/**
 * The tab's settings: `#workers=N` in the URL first, then what the volunteer chose before on this origin
 * (localStorage), then the defaults: `defaultWorkers`, 100 %, no automatic pause.
 */
export function loadTabSettings(options: {
  readonly hash: string
  readonly storage: NameStorage | undefined
  readonly hardwareConcurrency: number | undefined
}): TabSettings {
  const stored = readStored(options.storage)
  return {
    workers: workersFromHash(options.hash) ?? stored.workers ?? defaultWorkers(options.hardwareConcurrency),
    cpuLimit: stored.cpuLimit ?? 100,
    pauseWhenHidden: stored.pauseWhenHidden ?? false,
    pauseOnBattery: stored.pauseOnBattery ?? false,
  }
}

/** Remembers the settings for this origin; returns false when storage is unavailable. */
export function saveTabSettings(storage: NameStorage | undefined, settings: TabSettings): boolean {
  try {
    storage?.setItem(TAB_SETTINGS_STORAGE_KEY, JSON.stringify(settings))
    return storage !== undefined
  } catch {
    return false
  }
}

/** `hash` with its `workers` entry set to `workers` (when it had one: the URL keeps saying what runs). */
export function hashWithWorkers(hash: string, workers: number): string {
  return hash.replace(/(^#|[;&])workers=[^;&]*/, `$1workers=${String(workers)}`)
}
