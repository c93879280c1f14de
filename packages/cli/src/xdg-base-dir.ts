import { isAbsolute, join } from 'node:path'
import type { Environment } from './environment-options.ts'

/**
 * An XDG base directory: `$variable` when it is set to an absolute path (the XDG specification ignores a
 * relative one), else `fallback` under `home` (`.config` for `XDG_CONFIG_HOME`, `.cache` for `XDG_CACHE_HOME`).
 */
export function xdgBaseDir(
  env: Environment,
  variable: 'XDG_CONFIG_HOME' | 'XDG_CACHE_HOME',
  home: string,
  fallback: '.config' | '.cache',
): string {
  const dir = env[variable]
  return dir !== undefined && isAbsolute(dir) ? dir : join(home, fallback)
}
