import { existsSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  INTERNAL_SCOPE,
  PACKAGE_DIR,
  externalDependencies,
  internalClosure,
  readManifest,
  workspaceDirs,
} from '../scripts/internal-packages.mjs'

/**
 * The published package carries the internal packages (bundled, as npm cannot fetch them) and lists the npm
 * packages they need: `npm install -g pando-computing-*.tgz` must find everything, and fetch nothing named
 * `@pando/…`. The install itself is checked by `scripts/check-package.sh` (`npm run check:package`).
 */
describe('the pando-computing manifest', () => {
  const manifest = readManifest(PACKAGE_DIR)
  const closure = internalClosure(manifest)

  it('bundles every internal package it needs, directly or not, and only those', () => {
    expect([...(manifest.bundleDependencies ?? [])].sort()).toEqual([...closure.keys()].sort())
    expect(closure.has('@pando/cli')).toBe(true)
    expect(closure.has('@pando/runtime')).toBe(true)
  })

  it('lists every npm package the bundled ones need, with the same version range', () => {
    const listed = Object.entries(manifest.dependencies ?? {}).filter(
      ([name]) => !name.startsWith(INTERNAL_SCOPE),
    )
    expect(Object.fromEntries(listed)).toEqual(Object.fromEntries(externalDependencies(closure)))
  })

  it('moves in lockstep with the internal packages', () => {
    for (const [name, dir] of workspaceDirs()) {
      expect(readManifest(dir).version, name).toBe(manifest.version)
      expect(manifest.dependencies?.[name] ?? manifest.version, name).toBe(manifest.version)
    }
  })

  it('names commands that exist', () => {
    expect(manifest.bin).toEqual({ pando: 'bin/pando.js', 'pando-server': 'bin/pando-server.js' })
    for (const file of Object.values(manifest.bin ?? {}))
      expect(existsSync(path.join(PACKAGE_DIR, file))).toBe(true)
  })
})
