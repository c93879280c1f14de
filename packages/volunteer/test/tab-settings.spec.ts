import { describe, expect, it } from 'vitest'
import { PauseReasons } from '../src/auto-pause.ts'
import { TAB_SETTINGS_STORAGE_KEY } from '../src/constants.ts'
import type { NameStorage } from '../src/device-name.ts'
import {
  defaultWorkers,
  hashWithWorkers,
  loadTabSettings,
  saveTabSettings,
  workersFromHash,
} from '../src/tab-settings.ts'

/** localStorage as a map; `broken` throws on every call (storage disabled). */
function memoryStorage(
  initial: Record<string, string> = {},
  broken = false,
): NameStorage & { data: Map<string, string> } {
  const data = new Map(Object.entries(initial))
  return {
    data,
    getItem: (key) => {
      if (broken) throw new Error('SecurityError')
      return data.get(key) ?? null
    },
    setItem: (key, value) => {
      if (broken) throw new Error('QuotaExceededError')
      data.set(key, value)
    },
  }
}

describe('tab settings', () => {
  it('runs one Worker less than the cores by default, at least one, at most 64', () => {
    expect(defaultWorkers(8)).toBe(7)
    expect(defaultWorkers(2)).toBe(1)
    expect(defaultWorkers(1)).toBe(1)
    expect(defaultWorkers(undefined)).toBe(1)
    expect(defaultWorkers(256)).toBe(64)
  })

  it('reads #workers=N in either hash format, ignoring bad values', () => {
    expect(workersFromHash('#workers=3')).toBe(3)
    expect(workersFromHash('#device=Phone;workers=2;')).toBe(2)
    expect(workersFromHash('#a=1&workers=4')).toBe(4)
    expect(workersFromHash('#workers=500')).toBe(64)
    for (const bad of [
      '#workers=0',
      '#workers=-1',
      '#workers=two',
      '#workers=1.5',
      '#workers=',
      '#device=x',
      '',
    ]) {
      expect(workersFromHash(bad)).toBeUndefined()
    }
  })

  it('takes the URL first, then what was stored for the origin, then the defaults', () => {
    const stored = memoryStorage({
      [TAB_SETTINGS_STORAGE_KEY]: JSON.stringify({ workers: 3, cpuLimit: 50, pauseWhenHidden: true }),
    })
    expect(loadTabSettings({ hash: '#workers=2', storage: stored, hardwareConcurrency: 8 })).toEqual({
      workers: 2,
      cpuLimit: 50,
      pauseWhenHidden: true,
      pauseOnBattery: false,
    })
    expect(loadTabSettings({ hash: '', storage: stored, hardwareConcurrency: 8 }).workers).toBe(3)
    expect(loadTabSettings({ hash: '', storage: undefined, hardwareConcurrency: 4 })).toEqual({
      workers: 3,
      cpuLimit: 100,
      pauseWhenHidden: false,
      pauseOnBattery: false,
    })
  })

  it('ignores stored fields that are not valid, one by one, and storage that throws', () => {
    const stored = memoryStorage({
      [TAB_SETTINGS_STORAGE_KEY]: JSON.stringify({
        workers: 0,
        cpuLimit: 60,
        pauseOnBattery: true,
        pauseWhenHidden: 'yes',
      }),
    })
    expect(loadTabSettings({ hash: '', storage: stored, hardwareConcurrency: 2 })).toEqual({
      workers: 1,
      cpuLimit: 100,
      pauseWhenHidden: false,
      pauseOnBattery: true,
    })
    const garbage = memoryStorage({ [TAB_SETTINGS_STORAGE_KEY]: '{not json' })
    expect(loadTabSettings({ hash: '', storage: garbage, hardwareConcurrency: 2 }).cpuLimit).toBe(100)
    const broken = memoryStorage({}, true)
    expect(loadTabSettings({ hash: '', storage: broken, hardwareConcurrency: 2 }).workers).toBe(1)
  })

  it('remembers the settings for the next load, and says when it cannot', () => {
    const storage = memoryStorage()
    const settings = { workers: 4, cpuLimit: 25, pauseWhenHidden: false, pauseOnBattery: true } as const
    expect(saveTabSettings(storage, settings)).toBe(true)
    expect(loadTabSettings({ hash: '', storage, hardwareConcurrency: 2 })).toEqual(settings)
    expect(saveTabSettings(memoryStorage({}, true), settings)).toBe(false)
    expect(saveTabSettings(undefined, settings)).toBe(false)
  })

  it('rewrites the workers entry of a hash that has one, and leaves others alone', () => {
    expect(hashWithWorkers('#device=a;workers=2;', 5)).toBe('#device=a;workers=5;')
    expect(hashWithWorkers('#workers=2&x=1', 3)).toBe('#workers=3&x=1')
    expect(hashWithWorkers('#device=a', 3)).toBe('#device=a')
  })
})

describe('PauseReasons', () => {
  it('is paused while any reason holds, and says when that changes', () => {
    const pauses = new PauseReasons()
    expect(pauses.paused).toBe(false)
    expect(pauses.set('hidden', true)).toBe(true)
    expect(pauses.set('you', true)).toBe(false)
    expect(pauses.shown).toBe('you')
    expect(pauses.set('you', false)).toBe(false)
    expect(pauses.shown).toBe('hidden')
    expect(pauses.set('hidden', false)).toBe(true)
    expect(pauses.paused).toBe(false)
  })

  it("resumes on the volunteer's word from its own pause and the battery's, not from a hidden tab", () => {
    const pauses = new PauseReasons()
    pauses.set('battery', true)
    pauses.set('you', true)
    expect(pauses.resumeByVolunteer()).toBe(true)
    expect(pauses.paused).toBe(false)
    pauses.set('hidden', true)
    expect(pauses.resumeByVolunteer()).toBe(false)
    expect(pauses.paused).toBe(true)
  })
})
