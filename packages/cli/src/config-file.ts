import { existsSync, readFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { join, resolve } from 'node:path'
import { LEGACY_CONFIG_FILE, XDG_CONFIG_FILE } from './constants.ts'
import { environmentVariable, type Environment } from './environment-options.ts'
import { UsageError } from './errors.ts'
import { xdgBaseDir } from './xdg-base-dir.ts'
import {
  OPTION_NAMES,
  checkOptionValue,
  isOptionName,
  type OptionValue,
  type OptionValues,
} from './option-table.ts'

/** Defaults read from a configuration file: a JSON object whose keys are long option names. */
export interface ConfigFile {
  /** The file read; where it would be when there is none. */
  readonly path: string
  /** Only the options the file sets. */
  readonly values: Partial<OptionValues>
  /** The legacy `~/.pando/config.json`, when it exists but the XDG file was read instead. */
  readonly ignored?: string
}

/** Where the configuration files of a home directory are: the XDG one, and the legacy `~/.pando` one. */
export function configFilePaths(home: string, env: Environment = {}): { xdg: string; legacy: string } {
  const configHome = xdgBaseDir(env, 'XDG_CONFIG_HOME', home, '.config')
  return { xdg: join(configHome, XDG_CONFIG_FILE), legacy: join(home, LEGACY_CONFIG_FILE) }
}

/**
 * The file `--config FILE` (or `-c FILE`, `--config=FILE`) names on the command line `args`, before any
 * `--`, else `$PANDO_CONFIG`; `undefined` for the usual locations. Read before the rest of the command line,
 * whose defaults it gives.
 */
export function givenConfigFile(args: readonly string[], env: Environment = {}): string | undefined {
  let given: string | undefined
  for (let at = 0; at < args.length; at++) {
    const arg = args[at] ?? ''
    if (arg === '--') break
    if (arg.startsWith('--config=')) given = arg.slice('--config='.length)
    else if ((arg === '--config' || arg === '-c') && at + 1 < args.length) given = args[++at]
  }
  const fromEnvironment = env[environmentVariable('config')]
  return given ?? (fromEnvironment === '' ? undefined : fromEnvironment)
}

/**
 * Reads the configuration: the file `given` (by `--config`, relative to `cwd`), which must exist; else
 * `$XDG_CONFIG_HOME/pando/config.json` (`~/.config/pando/config.json` by default) when it exists, the
 * legacy `~/.pando/config.json` being then ignored (and named in `ignored`); else the legacy one. A missing
 * usual file sets nothing; anything else that is wrong is a {@link UsageError}, because silently ignoring
 * a typo would run with settings the user did not choose.
 */
export function readConfigFile(
  home: string,
  options: { readonly env?: Environment; readonly given?: string; readonly cwd?: string } = {},
): ConfigFile {
  if (options.given !== undefined) {
    const path = resolve(options.cwd ?? process.cwd(), options.given)
    const text = readText(path)
    if (text === undefined) {
      throw new UsageError(
        `the configuration file ${path} given by --config does not exist: fix the path, or drop --config`,
      )
    }
    return { path, values: parseConfig(text, path) }
  }
  const { xdg, legacy } = configFilePaths(home, options.env)
  const xdgText = readText(xdg)
  const legacyText = xdgText === undefined ? readText(legacy) : undefined
  if (xdgText !== undefined) {
    return {
      path: xdg,
      values: parseConfig(xdgText, xdg),
      ...(existsSync(legacy) ? { ignored: legacy } : {}),
    }
  }
  return { path: legacy, values: legacyText === undefined ? {} : parseConfig(legacyText, legacy) }
}

/**
 * The configuration a command (`pando`, `pando-server`) reads for its command line `args`: the file that
 * `--config` or `$PANDO_CONFIG` names, else the usual one under the user's home (see {@link readConfigFile});
 * a legacy file that is ignored is said with `print`, the command's own stderr message.
 */
export function readCommandConfig(args: readonly string[], print: (message: string) => void): ConfigFile {
  const given = givenConfigFile(args, process.env)
  const config = readConfigFile(homedir(), { env: process.env, ...(given === undefined ? {} : { given }) })
  const ignored = ignoredConfigMessage(config)
  if (ignored !== undefined) print(ignored)
  return config
}

/** The message for a legacy file that the XDG one hides. */
export function ignoredConfigMessage(config: ConfigFile): string | undefined {
  return config.ignored === undefined
    ? undefined
    : `${config.ignored} is ignored: ${config.path} is read instead (merge them, and remove one)`
}

/** A file's text, or `undefined` when it does not exist. @throws {UsageError} when it cannot be read */
function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw new UsageError(
      `cannot read the configuration file ${path} (${(error as Error).message}): fix or remove it`,
    )
  }
}

/** Parses and checks the text of a configuration file. Exported for the unit tests. */
export function parseConfig(text: string, path: string): Partial<OptionValues> {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (error) {
    throw new UsageError(
      `the configuration file ${path} is not valid JSON (${oneLine((error as Error).message)}): fix or remove it`,
    )
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new UsageError(
      `the configuration file ${path} must hold a JSON object such as {"local": true, "retries": 3}: fix or remove it`,
    )
  }
  const values: Record<string, OptionValue> = {}
  for (const [key, value] of Object.entries(json)) {
    if (key === 'config') {
      throw new UsageError(
        `the configuration file ${path} sets "config", which only the command line or $PANDO_CONFIG can: fix or remove it`,
      )
    }
    if (!isOptionName(key)) {
      throw new UsageError(
        `the configuration file ${path} sets "${key}", which is not an option ` +
          `(the keys are the option names: ${OPTION_NAMES.filter((name) => name !== 'config').join(', ')}): fix or remove it`,
      )
    }
    const checked = checkOptionValue(key, value, 'json')
    if (!checked.ok) {
      throw new UsageError(`"${key}" in the configuration file ${path} ${checked.reason}: fix or remove it`)
    }
    values[key] = checked.value
  }
  return values
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ')
}
