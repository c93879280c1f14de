import { UsageError } from './errors.ts'

/** Where a run's items come from, once the command line is understood. */
export interface ItemInput {
  /** Items come from standard input (`--stdin`, `-a -`, `--sync-stdio`, or a pipe with nothing else). */
  readonly stdin: boolean
  /** `--arg-file FILE`: items come from FILE; undefined otherwise (and for `-a -`, which is stdin). */
  readonly argFile: string | undefined
}

/** What decides it. */
export interface ItemInputChoice {
  /** ITEMS on the command line. */
  readonly items: readonly string[]
  /** `--stdin`'s value. */
  readonly stdin: boolean
  /** `--stdin` or `--no-stdin` was given (command line or configuration file): no implicit reading. */
  readonly stdinChosen: boolean
  readonly syncStdio: boolean
  /** `--arg-file`, '' for none. */
  readonly argFile: string
  /** Standard input is a terminal: it is read only when asked for (`--stdin`). */
  readonly stdinIsTerminal: boolean
}

/**
 * Decides where the items come from: ITEMS, `--stdin`, `--arg-file FILE`, or, when none is given and
 * standard input is not a terminal (a pipe, a file, /dev/null), standard input, as GNU parallel reads it
 * (`printf 'a\nb\n' | pando m.js --local`); `--no-stdin` turns that off.
 * @throws {UsageError} for two sources at once
 */
export function chooseItemInput(choice: ItemInputChoice): ItemInput {
  const flag = choice.syncStdio ? '--sync-stdio' : choice.stdin ? '--stdin' : undefined
  const fromStdin = flag !== undefined || choice.argFile === '-'
  const file = choice.argFile === '' || choice.argFile === '-' ? undefined : choice.argFile
  if (choice.items.length > 0 && (fromStdin || file !== undefined)) {
    const from = flag ?? '--arg-file'
    throw new UsageError(
      `${choice.items.length === 1 ? 'an item is' : `${choice.items.length} items are`} given as arguments, but ${from} ` +
        `reads the items from ${file === undefined ? 'standard input' : file}: drop the arguments or ${from}` +
        (flag === undefined ? '' : ` (--no-${flag.slice(2)} if the configuration file sets it)`),
    )
  }
  if (file !== undefined && flag !== undefined) {
    throw new UsageError(
      `--arg-file ${file} and ${flag} both give the items: keep one (--arg-file - reads standard input)`,
    )
  }
  const implicit =
    choice.items.length === 0 &&
    !fromStdin &&
    file === undefined &&
    !choice.stdinChosen &&
    !choice.stdinIsTerminal
  return { stdin: fromStdin || implicit, argFile: file }
}
