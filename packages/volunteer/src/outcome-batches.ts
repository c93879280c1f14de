import {
  MAX_LINK_ITEM_CHARS,
  MAX_VOLUNTEER_MESSAGE_CHARS,
  WIRE_ENVELOPE_CHARS,
  WIRE_ITEM_FRAME_CHARS,
  outcomeJsonLength,
  packByLength,
  transportLimitError,
  type Outcome,
} from '@pando/protocol'

function tooLarge(outcome: Outcome, size: number): Outcome {
  return { id: outcome.id, ok: false, error: transportLimitError('result', size, MAX_LINK_ITEM_CHARS) }
}

/**
 * Splits outcomes into groups that each fit in one `outcomes` message of at most `maxChars` characters of
 * JSON; an outcome larger than that on its own gets a message of its own (a tree link carries it in chunks).
 * One larger than any link carries (`MAX_LINK_ITEM_CHARS`, for its result as JSON) becomes a
 * `TransportLimitError` outcome for its id.
 */
export function packOutcomes(
  outcomes: readonly Outcome[],
  maxChars = MAX_VOLUNTEER_MESSAGE_CHARS,
): Outcome[][] {
  const room = maxChars - WIRE_ENVELOPE_CHARS
  const fitting = outcomes.map((outcome) => {
    const size = outcomeJsonLength(outcome) - (outcome.ok ? WIRE_ITEM_FRAME_CHARS : 0)
    return size <= MAX_LINK_ITEM_CHARS ? outcome : tooLarge(outcome, size)
  })
  return packByLength(fitting, room, outcomeJsonLength)
}
