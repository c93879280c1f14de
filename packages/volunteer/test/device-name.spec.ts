import { describe, expect, it } from 'vitest'
import { DEVICE_NAME_STORAGE_KEY } from '../src/constants.ts'
import {
  deviceNameFromHash,
  hashWithDeviceName,
  rememberDeviceName,
  resolveDeviceName,
  type NameStorage,
} from '../src/device-name.ts'

function memoryStorage(initial: Record<string, string> = {}): NameStorage & { data: Record<string, string> } {
  const data = { ...initial }
  return {
    data,
    getItem: (key) => data[key] ?? null,
    setItem: (key, value) => {
      data[key] = value
    },
  }
}

const broken: NameStorage = {
  getItem: () => {
    throw new Error('SecurityError')
  },
  setItem: () => {
    throw new Error('QuotaExceededError')
  },
}

describe('deviceNameFromHash', () => {
  it("reads the original's format, underscores standing for spaces", () => {
    expect(deviceNameFromHash('#protocol=websocket;device=MacBook_Pro_2016;')).toBe('MacBook Pro 2016')
  })

  it('reads &-separated and percent-encoded hashes', () => {
    expect(deviceNameFromHash('#x=1&device=Caf%C3%A9')).toBe('Café')
  })

  it('gives nothing for a missing or empty name', () => {
    expect(deviceNameFromHash('')).toBeUndefined()
    expect(deviceNameFromHash('#device=')).toBeUndefined()
    expect(deviceNameFromHash('#device=%E0%A4%A')).toBe('%E0%A4%A')
  })
})

describe('hashWithDeviceName', () => {
  it('replaces the name and keeps the other entries', () => {
    expect(hashWithDeviceName('#protocol=ws;device=Old;', 'New Name')).toBe('#protocol=ws;device=New_Name')
    expect(deviceNameFromHash(hashWithDeviceName('', 'Zoë & co'))).toBe('Zoë & co')
  })
})

const LINUX_CHROME =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/140.0.0.0 Safari/537.36'
const IPHONE_SAFARI =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1'

describe('resolveDeviceName', () => {
  it('prefers the hash, then storage, then the browser and OS of the user agent', () => {
    const storage = memoryStorage({ [DEVICE_NAME_STORAGE_KEY]: 'Stored' })
    expect(resolveDeviceName({ hash: '#device=Alice', storage, userAgent: LINUX_CHROME })).toBe('Alice')
    expect(resolveDeviceName({ hash: '', storage, userAgent: LINUX_CHROME })).toBe('Stored')
    expect(resolveDeviceName({ hash: '', storage: memoryStorage(), userAgent: LINUX_CHROME })).toBe(
      'Chrome · Linux',
    )
    expect(resolveDeviceName({ hash: '', storage: undefined, userAgent: '' })).toBe('Browser · unknown OS')
  })

  it('survives a storage that throws', () => {
    expect(resolveDeviceName({ hash: '', storage: broken, userAgent: IPHONE_SAFARI })).toBe('Safari · iOS')
    expect(rememberDeviceName(broken, 'x')).toBe(false)
  })

  it('bounds the length of a name', () => {
    expect(
      resolveDeviceName({ hash: `#device=${'a'.repeat(500)}`, storage: undefined, userAgent: '' }),
    ).toHaveLength(100)
  })
})

describe('rememberDeviceName', () => {
  it('stores the name under its key', () => {
    const storage = memoryStorage()
    expect(rememberDeviceName(storage, 'Bob')).toBe(true)
    expect(storage.data[DEVICE_NAME_STORAGE_KEY]).toBe('Bob')
  })
})
