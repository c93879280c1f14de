import { createRequire } from 'node:module'

/** This package's version, from its package.json (one directory above `src/` and `dist/`). */
export function packageVersion(): string {
  const manifest = createRequire(import.meta.url)('../package.json') as { version: string }
  return manifest.version
}
