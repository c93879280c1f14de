import {
  MAX_VOLUNTEER_MESSAGE_CHARS,
  RESULT_TOO_LARGE_ERROR,
  WIRE_ENVELOPE_CHARS,
  outcomeJsonLength,
  packByLength,
  type Outcome,
} from '@pando/protocol'

function tooLarge(outcome: Outcome, size: number, maxChars: number): Outcome {
  return {
    id: outcome.id,
    ok: false,
    error: {
      name: RESULT_TOO_LARGE_ERROR,
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
  maxChars = MAX_VOLUNTEER_MESSAGE_CHARS,
): Outcome[][] {
  const room = maxChars - WIRE_ENVELOPE_CHARS
  const fitting = outcomes.map((outcome) => {
    if (outcomeJsonLength(outcome) + 1 <= room) return outcome
    const length = JSON.stringify(outcome).length + 1
    return length <= room ? outcome : tooLarge(outcome, length, maxChars)
  })
  return packByLength(fitting, room, outcomeJsonLength)
}
