// The internal packages (`@pando/*`) the published package carries, and what of each it carries. Used by
// `vendor.mjs` (at `npm pack`) and by the manifest test, so both read the workspace the same way.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

export const PACKAGE_DIR = fileURLToPath(new URL('..', import.meta.url))
export const REPOSITORY_ROOT = path.resolve(PACKAGE_DIR, '../..')
export const INTERNAL_SCOPE = '@pando/'

/** The manifest (`package.json`) in `dir`. */
export function readManifest(dir) {
  return JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'))
}

/** The workspace directory of each internal package, by name. */
export function workspaceDirs() {
  const root = readManifest(REPOSITORY_ROOT)
  const dirs = new Map()
  for (const workspace of root.workspaces) {
    const dir = path.join(REPOSITORY_ROOT, workspace)
    const { name } = readManifest(dir)
    if (name.startsWith(INTERNAL_SCOPE)) dirs.set(name, dir)
  }
  return dirs
}

function internalDependencies(manifest) {
  return Object.keys(manifest.dependencies ?? {}).filter((name) => name.startsWith(INTERNAL_SCOPE))
}

/** The internal packages `manifest` depends on, directly or not: name → workspace directory. */
export function internalClosure(manifest) {
  const dirs = workspaceDirs()
  const closure = new Map()
  const pending = internalDependencies(manifest)
  while (pending.length > 0) {
    const name = pending.pop()
    if (closure.has(name)) continue
    const dir = dirs.get(name)
    if (dir === undefined) throw new Error(`${name} is not a package of this workspace`)
    closure.set(name, dir)
    pending.push(...internalDependencies(readManifest(dir)))
  }
  return closure
}

/**
 * The npm packages the internal packages of `closure` need at run time (type packages aside), with the
 * version ranges they ask for. @throws {Error} when two of them ask for different ranges of one package
 */
export function externalDependencies(closure) {
  const external = new Map()
  for (const [name, dir] of closure) {
    for (const [dependency, range] of Object.entries(readManifest(dir).dependencies ?? {})) {
      if (dependency.startsWith(INTERNAL_SCOPE) || dependency.startsWith('@types/')) continue
      const known = external.get(dependency)
      if (known !== undefined && known.range !== range) {
        throw new Error(`${name} needs ${dependency}@${range} but ${known.by} needs ${known.range}`)
      }
      external.set(dependency, { range, by: name })
    }
  }
  return new Map([...external].map(([dependency, { range }]) => [dependency, range]))
}
