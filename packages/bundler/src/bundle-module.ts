import { stat } from 'node:fs/promises'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import webpack from 'webpack'
import type { Configuration, Stats, StatsError } from 'webpack'
import { createBundleConfig } from './bundle-config.ts'
import { BUNDLE_FILENAME, MAX_QUOTED_ERROR_CHARS } from './constants.ts'
import { BundleError, BundleWriteError } from './errors.ts'

/** What to bundle and where. */
export interface BundleOptions {
  /** The user's processing module (CommonJS or ESM); relative paths are resolved from the current directory. */
  modulePath: string
  /** Directory the Worker script is written to (created if missing). Nothing is written anywhere else. */
  outDir: string
}

/** The Worker script that was written. */
export interface BundleResult {
  /** Absolute path of the script, `<outDir>/bundle.js`. */
  file: string
  /** Its size in bytes. */
  bytes: number
  /** Wall-clock time the bundling took, in milliseconds. */
  ms: number
}

/** Lines of webpack's parse errors that are advice for webpack users, not for authors of a processing module. */
const NOISE = /^(File was parsed as module type|You may need an (appropriate|additional) loader)/

function describeError(error: StatsError): string {
  const where = error.moduleName ?? error.moduleIdentifier
  const loc = error.loc === undefined ? '' : ` ${error.loc}`
  const message = error.message
    .split('\n')
    .filter((line) => !NOISE.test(line))
    .join('\n')
  const text =
    message.length > MAX_QUOTED_ERROR_CHARS ? `${message.slice(0, MAX_QUOTED_ERROR_CHARS)}…` : message
  return where === undefined ? text : `${where}${loc}: ${text}`
}

function run(config: Configuration): Promise<Stats> {
  return new Promise((resolve, reject) => {
    const compiler = webpack(config)
    compiler.run((runError, stats) => {
      compiler.close((closeError) => {
        const error = runError ?? closeError
        if (error !== null && error !== undefined) reject(error)
        else if (stats === undefined) reject(new Error('webpack returned no stats'))
        else resolve(stats)
      })
    })
  })
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
  await checkModuleFile(modulePath)
  let stats: Stats
  try {
    stats = await run(createBundleConfig({ modulePath, outDir }))
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    const code = systemErrorCode(error)
    if (code !== undefined) {
      throw new BundleWriteError(
        `cannot write the bundle of ${modulePath} to ${outDir}: ${message}`,
        code,
        outDir,
        {
          cause: error,
        },
      )
    }
    throw new BundleError(`cannot bundle ${modulePath}: ${message}`, [message], { cause: error })
  }
  if (stats.hasErrors()) {
    const errors = (stats.toJson({ all: false, errors: true, moduleTrace: false }).errors ?? []).map(
      describeError,
    )
    const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : ''
    throw new BundleError(
      `cannot bundle ${modulePath}: ${errors[0] ?? 'unknown webpack error'}${more}`,
      errors,
    )
  }
  const file = path.join(outDir, BUNDLE_FILENAME)
  const { size } = await stat(file)
  return { file, bytes: size, ms: Math.round(performance.now() - start) }
}
