import { SHORT_ID_LENGTH } from './constants.ts'

/**
 * What people call a volunteer, the same on the terminal's join notices and in the dashboard's rows, legend
 * and tree: the name it chose, or, by default, its browser and OS and the start of its id
 * (`Chrome · Linux · 3fa2`), so that tabs of one machine can be told apart.
 */

/** Between the parts of a label. */
export const LABEL_SEPARATOR = ' · '

/** Browsers a page's default name may give, by a mark of their user agent, the first that matches. */
const BROWSERS: readonly (readonly [mark: RegExp, name: string])[] = [
  [/Edg(?:e|A|iOS)?\//, 'Edge'],
  [/OPR\/|Opera/, 'Opera'],
  [/Firefox\/|FxiOS\//, 'Firefox'],
  [/SamsungBrowser\//, 'Samsung Internet'],
  [/Chrome\/|Chromium\/|CriOS\//, 'Chrome'],
  [/Safari\//, 'Safari'],
]

/** Operating systems, by a mark of the user agent, the first that matches. */
const SYSTEMS: readonly (readonly [mark: RegExp, name: string])[] = [
  [/Android/, 'Android'],
  [/iPhone|iPad|iPod/, 'iOS'],
  [/Windows/, 'Windows'],
  [/CrOS/, 'ChromeOS'],
  [/Mac OS X|Macintosh/, 'macOS'],
  [/Linux/, 'Linux'],
]

const UNKNOWN_BROWSER = 'Browser'
const UNKNOWN_SYSTEM = 'unknown OS'

/** `Chrome · Linux`: the name a page gives itself when its volunteer chose none, from its user agent. */
export function browserDeviceName(userAgent: string): string {
  const browser = BROWSERS.find(([mark]) => mark.test(userAgent))?.[1] ?? UNKNOWN_BROWSER
  const system = SYSTEMS.find(([mark]) => mark.test(userAgent))?.[1] ?? UNKNOWN_SYSTEM
  return `${browser}${LABEL_SEPARATOR}${system}`
}

const BROWSER_NAMES = new Set([...BROWSERS.map(([, name]) => name), UNKNOWN_BROWSER])
const SYSTEM_NAMES = new Set([...SYSTEMS.map(([, name]) => name), UNKNOWN_SYSTEM])

/** Whether `name` is one {@link browserDeviceName} gives: the volunteer did not choose it. */
export function isBrowserDeviceName(name: string): boolean {
  const parts = name.split(LABEL_SEPARATOR)
  return parts.length === 2 && BROWSER_NAMES.has(parts[0] as string) && SYSTEM_NAMES.has(parts[1] as string)
}

/**
 * A volunteer's label: the name it chose as it is, or followed by the start of its id when other
 * volunteers chose the same (`shared`); a browser's default name (or none) always with it
 * (`Chrome · Linux · 3fa2`, `volunteer · 3fa2`).
 */
export function volunteerLabel(deviceName: string, id: string, shared = false): string {
  const name = deviceName.trim()
  const short = id.slice(0, SHORT_ID_LENGTH)
  if (name === '') return `volunteer${LABEL_SEPARATOR}${short}`
  return shared || isBrowserDeviceName(name) ? `${name}${LABEL_SEPARATOR}${short}` : name
}
