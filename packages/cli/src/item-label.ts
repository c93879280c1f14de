import { TRANSPORT_LIMIT_ERROR, type SerializedError } from '@pando/protocol'
import { ITEM_PREVIEW_LENGTH, PEER_TEXT_CHARS } from './constants.ts'
import { terminalJson, terminalText } from './terminal-text.ts'

/** Where items come from, which decides how an item is named in messages. */
export type ItemOrigin = 'arguments' | 'stdin' | 'file' | 'peer'

/** Names item `id` (0-based) for people: "line 8 of standard input", "item 3 of the command line". */
export function itemPosition(origin: ItemOrigin, id: number): string {
  const n = id + 1
  switch (origin) {
    case 'stdin':
      return `line ${n} of standard input`
    case 'file':
      return `line ${n} of the --arg-file`
    case 'arguments':
      return `item ${n} of the command line`
    case 'peer':
      return `item ${n} from the peer`
  }
}

/** A copy of the item short enough for a message, quoted and escaped as JSON, safe for a terminal: `"abc…"`. */
export function itemPreview(value: string, maxLength = ITEM_PREVIEW_LENGTH): string {
  const characters = Array.from(value)
  const shown = characters.length > maxLength ? `${characters.slice(0, maxLength - 1).join('')}…` : value
  return terminalJson(JSON.stringify(shown))
}

/**
 * The error as one readable line, safe for a terminal and at most {@link PEER_TEXT_CHARS} long (a
 * volunteer's error is its own text): `RangeError: too big`.
 */
export function errorSummary(error: SerializedError): string {
  const message = error.message.trim()
  const summary = message === '' ? error.name : error.name === '' ? message : `${error.name}: ${message}`
  return terminalText(summary, PEER_TEXT_CHARS)
}

/** The message for an item whose retries are spent. */
export function itemFailureMessage(
  origin: ItemOrigin,
  failed: {
    readonly id: number
    readonly value: string
    readonly error: SerializedError
    readonly attempts: number
  },
): string {
  const attempts = failed.attempts === 1 ? '1 attempt' : `${String(failed.attempts)} attempts`
  if (failed.error.name === TRANSPORT_LIMIT_ERROR) {
    // The item or its result is larger than any link carries: no fault of the function.
    const tried = failed.attempts === 0 ? 'never sent' : attempts
    return (
      `a transport limit on ${itemPosition(origin, failed.id)}, ${itemPreview(failed.value)} ` +
      `(${tried}, not a failure of the function): ${terminalText(failed.error.message, PEER_TEXT_CHARS)}`
    )
  }
  return (
    `the function failed on ${itemPosition(origin, failed.id)}, ${itemPreview(failed.value)} ` +
    `(${attempts}): ${errorSummary(failed.error)}`
  )
}
