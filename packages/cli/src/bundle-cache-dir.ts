import { homedir } from 'node:os'
import { join } from 'node:path'
import { BUNDLE_CACHE_DIR } from './constants.ts'
import type { Environment } from './environment-options.ts'
import { xdgBaseDir } from './xdg-base-dir.ts'

/**
 * Where a module's bundle is kept between runs (`@pando/bundler`'s `cacheDir`): `$XDG_CACHE_HOME/pando/bundles`,
 * by default `~/.cache/pando/bundles`. Removing it is always safe: a module is then bundled again.
 */
export function bundleCacheDir(env: Environment = process.env, home: string = homedir()): string {
  return join(xdgBaseDir(env, 'XDG_CACHE_HOME', home, '.cache'), BUNDLE_CACHE_DIR)
}
