import { accessSync, constants } from 'node:fs'
import path from 'node:path'
import { UsageError } from '../errors.ts'

/** Names Chromium and Chrome go by on a `PATH`, most likely first. */
const CHROMIUM_COMMANDS = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable', 'chrome']

/** Where Chromium and Chrome are installed when their command is not on the `PATH`, by platform. */
function installedLocations(platform: NodeJS.Platform, env: NodeJS.ProcessEnv): string[] {
  // eslint-disable-next-line @typescript-eslint/switch-exhaustiveness-check -- other platforms look where Linux does
  switch (platform) {
    case 'darwin':
      return [
        '/Applications/Chromium.app/Contents/MacOS/Chromium',
        '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
      ]
    case 'win32':
      return [env.LOCALAPPDATA, env.PROGRAMFILES, env['PROGRAMFILES(X86)']]
        .filter((dir): dir is string => dir !== undefined && dir !== '')
        .flatMap((dir) => [
          path.win32.join(dir, 'Chromium', 'Application', 'chrome.exe'),
          path.win32.join(dir, 'Google', 'Chrome', 'Application', 'chrome.exe'),
        ])
    default:
      return [
        '/usr/bin/chromium',
        '/usr/bin/chromium-browser',
        '/snap/bin/chromium',
        '/usr/bin/google-chrome',
      ]
  }
}

/** What {@link findChromium} looks at: the process's by default, a test's otherwise. */
export interface ChromiumSearch {
  readonly env: NodeJS.ProcessEnv
  readonly platform: NodeJS.Platform
  /** Whether `file` exists and may be run. */
  readonly isExecutable: (file: string) => boolean
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK)
    return true
  } catch {
    return false
  }
}

const THIS_PROCESS: ChromiumSearch = { env: process.env, platform: process.platform, isExecutable }

/** The files that `PATH` gives for each of {@link CHROMIUM_COMMANDS}, in order. */
function onPath({ env, platform }: ChromiumSearch): string[] {
  const separator = platform === 'win32' ? ';' : ':'
  const join = platform === 'win32' ? path.win32.join : path.posix.join
  const suffix = platform === 'win32' ? '.exe' : ''
  const dirs = (env.PATH ?? '').split(separator).filter((dir) => dir !== '')
  return CHROMIUM_COMMANDS.flatMap((command) => dirs.map((dir) => join(dir, command + suffix)))
}

/**
 * The Chromium (or Chrome) binary for `--volunteers`: `$PANDO_CHROMIUM` when set, else the first of
 * {@link CHROMIUM_COMMANDS} on the `PATH`, else the platform's usual install locations.
 * @throws {UsageError} naming what was tried and how to get one
 */
export function findChromium(search: ChromiumSearch = THIS_PROCESS): string {
  const chosen = search.env.PANDO_CHROMIUM
  if (chosen !== undefined && chosen !== '') {
    if (search.isExecutable(chosen)) return chosen
    throw new UsageError(
      `--volunteers needs Chromium, and PANDO_CHROMIUM names ${chosen}, which is not an executable file: ` +
        'set it to the path of a Chromium or Chrome binary, or unset it to search the PATH',
    )
  }
  const locations = installedLocations(search.platform, search.env)
  const found = [...onPath(search), ...locations].find(search.isExecutable)
  if (found !== undefined) return found
  throw new UsageError(
    `--volunteers needs Chromium, and none was found: tried ${CHROMIUM_COMMANDS.join(', ')} on the PATH` +
      `${locations.length === 0 ? '' : ` and ${locations.join(', ')}`}: install it (Debian: apt-get install ` +
      'chromium) or set PANDO_CHROMIUM to the path of a Chromium or Chrome binary',
  )
}
