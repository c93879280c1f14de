import {
  OPTION_NAMES,
  OPTION_TABLE,
  optionFlags,
  shownDefault,
  showValue,
  type OptionName,
  type OptionValue,
} from './option-table.ts'
import { HELP_WIDTH, DESCRIPTION_INDENT } from './constants.ts'

/** An option set by the environment or the configuration file: the help shows that value as the default. */
export interface ShownSetting {
  readonly value: OptionValue
  /** Where it comes from, for people: `$PANDO_PORT`, `the configuration file`. */
  readonly from: string
}

/** The options of the help that are not in the table: they do something instead of a run. */
const ACTIONS = [
  { flags: '-h, --help', describe: 'Show this help and exit.' },
  { flags: '-v, --version', describe: 'Show the version number and exit.' },
] as const

/**
 * The help: `usage`, then every option of the table in its order, as `-p, --port N  [default: 5000]` and its
 * description below, wrapped at {@link HELP_WIDTH} between words (never inside one), then `epilogue`.
 * `settings` are the values the environment and the configuration file give.
 */
export function helpText(
  usage: string,
  epilogue: string,
  settings: Partial<Record<OptionName, ShownSetting>>,
): string {
  const blocks = OPTION_NAMES.map((name) => {
    const setting = settings[name]
    const shown =
      setting === undefined ? shownDefault(name) : `${showValue(name, setting.value)} (from ${setting.from})`
    const head = `${optionFlags(name)}  [default: ${shown}]`
    // A default too long for the line of the flags goes first below them.
    return head.length + 2 <= HELP_WIDTH
      ? optionBlock(head, OPTION_TABLE[name].describe)
      : optionBlock(optionFlags(name), `[default: ${shown}] ${OPTION_TABLE[name].describe}`)
  })
  const actions = ACTIONS.map((action) => optionBlock(action.flags, action.describe))
  return [usage, '', 'Options:', ...blocks, ...actions, '', epilogue].join('\n')
}

function optionBlock(head: string, describe: string): string {
  return [
    `  ${head}`,
    ...wrap(describe, HELP_WIDTH - DESCRIPTION_INDENT).map(
      (line) => `${' '.repeat(DESCRIPTION_INDENT)}${line}`,
    ),
  ].join('\n')
}

/** `text` cut into lines of at most `width` characters between words (a longer word stands alone). */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = []
  let line = ''
  for (const word of text.split(/\s+/).filter((w) => w !== '')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line)
      line = word
    } else {
      line = line === '' ? word : `${line} ${word}`
    }
  }
  if (line !== '') lines.push(line)
  return lines
}
