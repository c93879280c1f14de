import type { Outcome } from '@pando/protocol'
import { MAX_OUTCOMES_MESSAGE_CHARS } from './constants.ts'

/** Room taken by `{"type":"outcomes","outcomes":[]}` and a separating comma, rounded up. */
const ENVELOPE_CHARS = 64

function tooLarge(outcome: Outcome, size: number, maxChars: number): Outcome {
  return {
    id: outcome.id,
    ok: false,
    error: {
      name: 'ResultTooLargeError',
      message: `the result is ${size} characters of JSON; a volunteer sends at most ${String(maxChars)}`,
    },
  }
}

/**
 * Splits outcomes into groups that each fit in one `outcomes` message of at most `maxChars` characters of
 * JSON. An outcome that cannot fit on its own becomes an error outcome for its id.
 */
export function packOutcomes(
  outcomes: readonly Outcome[],
  maxChars = MAX_OUTCOMES_MESSAGE_CHARS,
): Outcome[][] {
  const groups: Outcome[][] = []
  let group: Outcome[] = []
  let size = ENVELOPE_CHARS
  for (const original of outcomes) {
    const length = JSON.stringify(original).length + 1
    const outcome = length + ENVELOPE_CHARS > maxChars ? tooLarge(original, length, maxChars) : original
    const outcomeLength = outcome === original ? length : JSON.stringify(outcome).length + 1
    if (group.length > 0 && size + outcomeLength > maxChars) {
      groups.push(group)
      group = []
      size = ENVELOPE_CHARS
    }
    group.push(outcome)
    size += outcomeLength
  }
  if (group.length > 0) groups.push(group)
  return groups
}
