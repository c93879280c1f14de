import { describe, expect, it } from 'vitest'
import { findChromium, type ChromiumSearch } from '../src/networked/find-chromium.ts'

/** A machine where exactly `files` exist and may be run. */
function machine(platform: NodeJS.Platform, env: NodeJS.ProcessEnv, files: string[]): ChromiumSearch {
  return { platform, env, isExecutable: (file) => files.includes(file) }
}

describe('findChromium', () => {
  it('takes PANDO_CHROMIUM first, and refuses one that does not exist', () => {
    const env = { PANDO_CHROMIUM: '/opt/chrome/chrome', PATH: '/usr/bin' }
    expect(findChromium(machine('linux', env, ['/opt/chrome/chrome', '/usr/bin/chromium']))).toBe(
      '/opt/chrome/chrome',
    )
    expect(() => findChromium(machine('linux', env, ['/usr/bin/chromium']))).toThrow(
      '--volunteers needs Chromium, and PANDO_CHROMIUM names /opt/chrome/chrome, which is not an executable ' +
        'file: set it to the path of a Chromium or Chrome binary, or unset it to search the PATH',
    )
  })

  it('searches the PATH for the names Chromium and Chrome go by, in that order', () => {
    const env = { PATH: '/home/me/bin:/usr/local/bin' }
    expect(
      findChromium(
        machine('linux', env, ['/usr/local/bin/google-chrome', '/usr/local/bin/chromium-browser']),
      ),
    ).toBe('/usr/local/bin/chromium-browser')
    expect(findChromium(machine('linux', env, ['/home/me/bin/chrome', '/usr/bin/chromium']))).toBe(
      '/home/me/bin/chrome',
    )
  })

  it("falls back on the platform's usual install locations", () => {
    expect(findChromium(machine('linux', { PATH: '' }, ['/snap/bin/chromium']))).toBe('/snap/bin/chromium')
    const mac = '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome'
    expect(findChromium(machine('darwin', { PATH: '/usr/bin' }, [mac]))).toBe(mac)
    const windows = 'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe'
    expect(
      findChromium(machine('win32', { PROGRAMFILES: 'C:\\Program Files', PATH: 'C:\\Windows' }, [windows])),
    ).toBe(windows)
    expect(
      findChromium(machine('win32', { PATH: 'C:\\Tools;C:\\Windows' }, ['C:\\Tools\\chromium.exe'])),
    ).toBe('C:\\Tools\\chromium.exe')
  })

  it('says what it tried when there is none', () => {
    expect(() => findChromium(machine('linux', { PATH: '/usr/bin' }, []))).toThrow(
      '--volunteers needs Chromium, and none was found: tried chromium, chromium-browser, google-chrome, ' +
        'google-chrome-stable, chrome on the PATH and /usr/bin/chromium, /usr/bin/chromium-browser, ' +
        '/snap/bin/chromium, /usr/bin/google-chrome: install it (Debian: apt-get install chromium) or set ' +
        'PANDO_CHROMIUM to the path of a Chromium or Chrome binary',
    )
  })
})
