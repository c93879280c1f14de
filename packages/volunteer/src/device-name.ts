import { MAX_DEVICE_NAME_LENGTH, browserDeviceName } from '@pando/protocol'
import { DEVICE_NAME_STORAGE_KEY } from './constants.ts'
import { hashEntries } from './url-hash.ts'

/** The subset of `Storage` the page uses; any call may throw (storage disabled, quota, private mode). */
export type NameStorage = Pick<Storage, 'getItem' | 'setItem'>

function decode(text: string): string {
  try {
    return decodeURIComponent(text)
  } catch {
    return text
  }
}

/** Trims a name and bounds its length; an empty name is no name. */
export function cleanDeviceName(name: string): string | undefined {
  const cleaned = name.trim().slice(0, MAX_DEVICE_NAME_LENGTH)
  return cleaned === '' ? undefined : cleaned
}

/** The name in the URL hash (`device=Name`, underscores standing for spaces as in the original), if any. */
export function deviceNameFromHash(hash: string): string | undefined {
  const entry = hashEntries(hash).find(([key]) => key === 'device')
  return entry === undefined ? undefined : cleanDeviceName(decode(entry[1]).replace(/_/g, ' '))
}

/** The hash with its `device=` entry set to `name` (added when missing), other entries kept. */
export function hashWithDeviceName(hash: string, name: string): string {
  const value = encodeURIComponent(name.replace(/ /g, '_'))
  const entries = hashEntries(hash).filter(([key]) => key !== 'device')
  entries.push(['device', value])
  return `#${entries.map(([key, text]) => `${key}=${text}`).join(';')}`
}

/**
 * A readable default: the browser and OS its user agent names (`Chrome · Linux`); the labels add the start
 * of the volunteer's id to it (`volunteerLabel`).
 */
export function defaultDeviceName(userAgent: string | undefined): string {
  return browserDeviceName(userAgent ?? '')
}

/**
 * The device name to use: the URL hash's `device=` first (as in the original, so a link can name a device),
 * else the name remembered in localStorage, else a default from the user agent.
 */
export function resolveDeviceName(options: {
  hash: string
  storage: NameStorage | undefined
  userAgent: string | undefined
}): string {
  const fromHash = deviceNameFromHash(options.hash)
  if (fromHash !== undefined) return fromHash
  let stored: string | null = null
  try {
    stored = options.storage?.getItem(DEVICE_NAME_STORAGE_KEY) ?? null
  } catch {
    // Storage unavailable: fall through to the default.
  }
  return (stored === null ? undefined : cleanDeviceName(stored)) ?? defaultDeviceName(options.userAgent)
}

/** Remembers the name; returns false when storage is unavailable. */
export function rememberDeviceName(storage: NameStorage | undefined, name: string): boolean {
  try {
    storage?.setItem(DEVICE_NAME_STORAGE_KEY, name)
    return storage !== undefined
  } catch {
    return false
  }
}
