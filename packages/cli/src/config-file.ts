import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { CONFIG_FILE } from './constants.ts'
import { UsageError } from './errors.ts'
import {
  OPTION_NAMES,
  checkOptionValue,
  isOptionName,
  type OptionValue,
  type OptionValues,
} from './option-table.ts'

/** Defaults read from `~/.pando/config.json`: a JSON object whose keys are long option names. */
export interface ConfigFile {
  readonly path: string
  /** Only the options the file sets. */
  readonly values: Partial<OptionValues>
}

/** Where the configuration file of a home directory lives. */
export function configFilePath(home: string): string {
  return join(home, CONFIG_FILE)
}

/**
 * Reads the configuration file of `home`. A missing file sets nothing; anything else that is wrong with it is
 * a {@link UsageError}, because silently ignoring a typo would run with settings the user did not choose.
 */
export function readConfigFile(home: string): ConfigFile {
  const path = configFilePath(home)
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { path, values: {} }
    throw new UsageError(
      `cannot read the configuration file ${path} (${(error as Error).message}): fix or remove it`,
    )
  }
  return { path, values: parseConfig(text, path) }
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
    if (!isOptionName(key)) {
      throw new UsageError(
        `the configuration file ${path} sets "${key}", which is not an option ` +
          `(the keys are the option names: ${OPTION_NAMES.join(', ')}): fix or remove it`,
      )
    }
    const checked = checkOptionValue(key, value, 'json')
    if (!checked.ok) {
      throw new UsageError(`"${key}" in the configuration file ${path} ${checked.reason}: fix or remove it`)
    }
    values[key] = checked.value
  }
  return values as Partial<OptionValues>
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ')
}
