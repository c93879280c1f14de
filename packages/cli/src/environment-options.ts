import { UsageError } from './errors.ts'
import {
  OPTION_NAMES,
  OPTION_TABLE,
  checkOptionValue,
  type OptionName,
  type OptionSpec,
  type OptionValue,
  type OptionValues,
} from './option-table.ts'

/** The environment, as `process.env`. */
export type Environment = Readonly<Record<string, string | undefined>>

/** The variable that sets an option: `PANDO_` and its name in capitals, `-` as `_` (`PANDO_ITEM_TIMEOUT`). */
export function environmentVariable(name: OptionName): string {
  return `PANDO_${name.toUpperCase().replaceAll('-', '_')}`
}

/**
 * The options the environment sets, each from its {@link environmentVariable}, written as on the command line
 * (`PANDO_ITEM_TIMEOUT=90s`; a boolean is `true`, `false`, `1` or `0`). An empty variable sets nothing. Only
 * the options `names` are read (every one by default; `pando-server` reads those it has).
 * @throws {UsageError} naming the variable, for a value the option does not take (a secret never quoted)
 */
export function readEnvironmentOptions(
  env: Environment,
  names: readonly OptionName[] = OPTION_NAMES,
): Partial<OptionValues> {
  const values: Partial<Record<OptionName, OptionValue>> = {}
  for (const name of names) {
    const variable = environmentVariable(name)
    const text = env[variable]
    if (text === undefined || text === '') continue
    const checked = checkOptionValue(name, text, 'environment')
    if (!checked.ok) {
      const spec: OptionSpec = OPTION_TABLE[name]
      const reason =
        spec.kind === 'boolean' ? `must be true, false, 1 or 0, not ${JSON.stringify(text)}` : checked.reason
      throw new UsageError(`$${variable} (--${name}) ${reason}: fix or unset it`)
    }
    values[name] = checked.value
  }
  return values as Partial<OptionValues>
}
