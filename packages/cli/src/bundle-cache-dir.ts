import { homedir } from 'node:os'
import { isAbsolute, join } from 'node:path'
import { BUNDLE_CACHE_DIR } from './constants.ts'
import type { Environment } from './environment-options.ts'

/**
 * Where a module's bundle is kept between runs (`@pando/bundler`'s `cacheDir`): `$XDG_CACHE_HOME/pando/bundles`,
 * by default `~/.cache/pando/bundles`. Removing it is always safe: a module is then bundled again.
 */
export function bundleCacheDir(env: Environment = process.env, home: string = homedir()): string {
  const xdgHome = env['XDG_CACHE_HOME']
  // The XDG specification ignores a relative $XDG_CACHE_HOME.
  const cacheHome = xdgHome !== undefined && isAbsolute(xdgHome) ? xdgHome : join(home, '.cache')
  return join(cacheHome, BUNDLE_CACHE_DIR)
}
