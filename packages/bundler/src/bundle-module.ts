import { stat } from 'node:fs/promises'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { readCachedBundle, storeBundle } from './bundle-cache.ts'
import type { Compiled } from './compile.ts'
import { BUNDLE_FILENAME } from './constants.ts'
import { BundleError, BundleWriteError } from './errors.ts'

/** What to bundle and where. */
export interface BundleOptions {
  /** The user's processing module (CommonJS or ESM); relative paths are resolved from the current directory. */
  modulePath: string
  /** Directory the Worker script is written to (created if missing). */
  outDir: string
  /**
   * Directory of bundles kept between runs (created if missing): a module none of whose files changed since
   * it was last bundled is not bundled again. The cache is only ever a shortcut: a cache that cannot be read
   * or written is passed by. @default none: every call bundles
   */
  cacheDir?: string
}

/** The Worker script that was written. */
export interface BundleResult {
  /** Absolute path of the script, `<outDir>/bundle.js`. */
  file: string
  /** Its size in bytes. */
  bytes: number
  /** Wall-clock time the bundling took, in milliseconds. */
  ms: number
  /** Whether it came from `cacheDir`, unchanged since it was last bundled. */
  cached: boolean
}

/** The code of a system error (`ENOSPC`, `EACCES`…), which says the machine failed, not the module. */
function systemErrorCode(error: unknown): string | undefined {
  const code = (error as NodeJS.ErrnoException | undefined)?.code
  return typeof code === 'string' && /^E[A-Z]+$/.test(code) ? code : undefined
}

async function checkModuleFile(modulePath: string): Promise<void> {
  try {
    const info = await stat(modulePath)
    if (!info.isFile()) throw new BundleError(`cannot bundle ${modulePath}: it is not a file`)
  } catch (error) {
    if (error instanceof BundleError) throw error
    throw new BundleError(`cannot bundle ${modulePath}: no such file`, [], { cause: error })
  }
}

/**
 * Bundles a processing module, with its npm dependencies, into one classic Worker script that assigns the
 * module's namespace to `self[WORKER_MODULE_GLOBAL]` (see `@pando/protocol`).
 *
 * @throws {BundleError} when the module is missing, does not parse, or imports something that cannot be resolved
 * @throws {BundleWriteError} when the system refuses to write the bundle (no space left, no permission…)
 */
export async function bundleModule(options: BundleOptions): Promise<BundleResult> {
  const start = performance.now()
  const modulePath = path.resolve(options.modulePath)
  const outDir = path.resolve(options.outDir)
  const cacheDir = options.cacheDir === undefined ? undefined : path.resolve(options.cacheDir)
  await checkModuleFile(modulePath)
  const file = path.join(outDir, BUNDLE_FILENAME)
  const cached = cacheDir !== undefined && (await readCachedBundle(cacheDir, modulePath, file))
  if (!cached) {
    const { inputs } = await compileOrThrow(modulePath, outDir)
    if (cacheDir !== undefined) await storeBundle(cacheDir, modulePath, file, inputs)
  }
  const { size } = await stat(file)
  return { file, bytes: size, ms: Math.round(performance.now() - start), cached }
}

/** Bundles with webpack (loaded now: a cached bundle never loads it), turning its failures into ours. */
async function compileOrThrow(modulePath: string, outDir: string): Promise<Compiled> {
  let compiled: Compiled
  try {
    const { compile } = await import('./compile.ts')
    compiled = await compile(modulePath, outDir)
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    const code = systemErrorCode(error)
    if (code !== undefined) {
      throw new BundleWriteError(
        `cannot write the bundle of ${modulePath} to ${outDir}: ${message}`,
        code,
        outDir,
        { cause: error },
      )
    }
    throw new BundleError(`cannot bundle ${modulePath}: ${message}`, [message], { cause: error })
  }
  const { errors } = compiled
  if (errors.length > 0) {
    const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : ''
    throw new BundleError(
      `cannot bundle ${modulePath}: ${errors[0] ?? 'unknown webpack error'}${more}`,
      errors,
    )
  }
  return compiled
}
