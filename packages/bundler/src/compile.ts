// Loaded only when a module must be bundled anew: webpack alone takes most of a `pando` start's time to load.
import webpack from 'webpack'
import type { Configuration, Stats, StatsError } from 'webpack'
import { createBundleConfig } from './bundle-config.ts'
import { MAX_QUOTED_ERROR_CHARS } from './constants.ts'

/** What a compilation read: the files whose content it used, and the paths it looked for and did not find. */
export interface BundleInputs {
  /** Files (and directories) it read. */
  readonly files: readonly string[]
  /** Paths it tried and found missing (another extension, a `package.json` higher up…). */
  readonly missing: readonly string[]
}

/** The outcome of one webpack run: its errors as text (none: the bundle was written), and what it read. */
export interface Compiled {
  readonly errors: readonly string[]
  readonly inputs: BundleInputs
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

/** Bundles `modulePath` into `outDir` with webpack. Rejects with webpack's (or the system's) own error. */
export async function compile(modulePath: string, outDir: string): Promise<Compiled> {
  const stats = await run(createBundleConfig({ modulePath, outDir }))
  const errors = stats.hasErrors()
    ? (stats.toJson({ all: false, errors: true, moduleTrace: false }).errors ?? []).map(describeError)
    : []
  if (stats.hasErrors() && errors.length === 0) errors.push('unknown webpack error')
  const { fileDependencies, missingDependencies } = stats.compilation
  return { errors, inputs: { files: [...fileDependencies], missing: [...missingDependencies] } }
}
