import { createHash } from 'node:crypto'
import { mkdir, readdir, readFile, rename, stat, unlink, utimes, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { BundleInputs } from './compile.ts'
import { BUNDLE_CACHE_FORMAT, BUNDLE_CACHE_MAX_AGE_MS } from './constants.ts'

// The bundles of modules kept between runs (`BundleOptions.cacheDir`): for each module, its bundle
// (`<key>.js`) and what it was made of (`<key>.json`): the content hash of every file webpack read, and the
// paths it looked for and did not find. A module is not bundled again while all of those are as they were.
// Anything unexpected (a file half written by another process, a full disk) only means bundling again.

/** What a cached bundle was made of. */
interface Manifest {
  readonly format: number
  /** The hash of the bundle itself, checked before it is used. */
  readonly bundle: string
  /** Each file webpack read, by path: the hash of its content, or `DIRECTORY`. */
  readonly files: Readonly<Record<string, string>>
  /** Paths webpack looked for and did not find: one that appeared could change what an import resolves to. */
  readonly missing: readonly string[]
}

const DIRECTORY = 'directory'

const sha256 = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex')

let toolchain: Promise<string> | undefined

/**
 * What, besides the module's own files, makes its bundle: this package's code (its webpack configuration) and
 * the versions of webpack and esbuild. Read once.
 */
function toolchainHash(): Promise<string> {
  toolchain ??= (async () => {
    const here = path.dirname(fileURLToPath(import.meta.url))
    const require = createRequire(import.meta.url)
    const own = (await readdir(here)).filter((name) => /\.[cm]?[jt]s$/.test(name)).sort()
    const parts = await Promise.all(
      own.map(async (name) => `${name}:${sha256(await readFile(path.join(here, name)))}`),
    )
    // esbuild is esbuild-loader's dependency: resolved from there, wherever npm put it.
    const fromLoader = createRequire(require.resolve('esbuild-loader'))
    for (const [name, from] of [
      ['webpack', require],
      ['esbuild-loader', require],
      ['esbuild', fromLoader],
    ] as const) {
      const { version } = from(`${name}/package.json`) as { version: string }
      parts.push(`${name}@${version}`)
    }
    return sha256(parts.join('\n'))
  })()
  return toolchain
}

/** The cache's files for `modulePath`: one entry per module, replaced when it is bundled again. */
async function entryOf(cacheDir: string, modulePath: string): Promise<{ bundle: string; manifest: string }> {
  const key = sha256(`${String(BUNDLE_CACHE_FORMAT)}\n${await toolchainHash()}\n${modulePath}`)
  return { bundle: path.join(cacheDir, `${key}.js`), manifest: path.join(cacheDir, `${key}.json`) }
}

/** What `file` is now, as a manifest records it (`undefined`: it does not exist). */
async function fingerprint(file: string): Promise<string | undefined> {
  try {
    const info = await stat(file)
    return info.isDirectory() ? DIRECTORY : sha256(await readFile(file))
  } catch {
    return undefined
  }
}

function isManifest(value: unknown): value is Manifest {
  const manifest = value as Partial<Manifest> | null
  return (
    typeof manifest === 'object' &&
    manifest !== null &&
    manifest.format === BUNDLE_CACHE_FORMAT &&
    typeof manifest.bundle === 'string' &&
    typeof manifest.files === 'object' &&
    manifest.files !== null &&
    Object.values(manifest.files).every((hash) => typeof hash === 'string') &&
    Array.isArray(manifest.missing) &&
    manifest.missing.every((missing) => typeof missing === 'string')
  )
}

/**
 * Writes the cached bundle of `modulePath` to `outFile` if nothing it was made of changed since, and says
 * whether it did.
 */
export async function readCachedBundle(
  cacheDir: string,
  modulePath: string,
  outFile: string,
): Promise<boolean> {
  try {
    const entry = await entryOf(cacheDir, modulePath)
    const manifest: unknown = JSON.parse(await readFile(entry.manifest, 'utf8'))
    if (!isManifest(manifest)) return false
    for (const [file, hash] of Object.entries(manifest.files))
      if ((await fingerprint(file)) !== hash) return false
    for (const missing of manifest.missing) if ((await fingerprint(missing)) !== undefined) return false
    const bundle = await readFile(entry.bundle)
    if (sha256(bundle) !== manifest.bundle) return false
    await mkdir(path.dirname(outFile), { recursive: true })
    await writeFile(outFile, bundle)
    // Used now: not pruned as old (see `storeBundle`).
    const now = new Date()
    await Promise.all([utimes(entry.manifest, now, now), utimes(entry.bundle, now, now)])
    return true
  } catch {
    return false
  }
}

/**
 * Keeps `bundleFile`, the bundle of `modulePath` just made from `inputs`, in the cache (best effort), and
 * removes entries unused for `BUNDLE_CACHE_MAX_AGE_MS`.
 */
export async function storeBundle(
  cacheDir: string,
  modulePath: string,
  bundleFile: string,
  inputs: BundleInputs,
): Promise<void> {
  try {
    const entry = await entryOf(cacheDir, modulePath)
    const bundle = await readFile(bundleFile)
    const files: Record<string, string> = {}
    for (const file of inputs.files) {
      const hash = await fingerprint(file)
      // Gone already (a file removed while webpack ran): such a bundle is not worth keeping.
      if (hash === undefined) return
      files[file] = hash
    }
    const manifest: Manifest = {
      format: BUNDLE_CACHE_FORMAT,
      bundle: sha256(bundle),
      files,
      missing: inputs.missing,
    }
    await mkdir(cacheDir, { recursive: true })
    // Each file whole or not at all, whoever reads it meanwhile: written aside, then renamed over.
    const aside = `.${String(process.pid)}.tmp`
    await writeFile(entry.bundle + aside, bundle)
    await rename(entry.bundle + aside, entry.bundle)
    await writeFile(entry.manifest + aside, JSON.stringify(manifest))
    await rename(entry.manifest + aside, entry.manifest)
    await pruneOld(cacheDir)
  } catch {
    // The cache is a shortcut: the bundle is written where the run needs it all the same.
  }
}

/** Removes the files of the cache unused for `BUNDLE_CACHE_MAX_AGE_MS` (entries, and any left half written). */
async function pruneOld(cacheDir: string): Promise<void> {
  const oldest = Date.now() - BUNDLE_CACHE_MAX_AGE_MS
  for (const name of await readdir(cacheDir)) {
    const file = path.join(cacheDir, name)
    const info = await stat(file).catch(() => undefined)
    if (info !== undefined && info.isFile() && info.mtimeMs < oldest)
      await unlink(file).catch(() => undefined)
  }
}
