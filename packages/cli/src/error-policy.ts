import type { Settled } from '@pando/scheduler'
import pull, { type Through } from 'pull-stream'
import { printMessage } from './exit.ts'
import type { ItemChannel } from './item-channel.ts'
import { itemFailureMessage, type ItemOrigin } from './item-label.ts'

/** `--on-error`: what becomes of an item the function still fails on after the retries. */
export type ErrorPolicy = 'abort' | 'skip' | 'mark'

/**
 * Applies `--on-error` to the settled items: `abort` lets a failed item through (the channel then stops at
 * it), `skip` drops it, `mark` turns it into the marker line; both name it on stderr.
 */
function errorPolicy(
  policy: ErrorPolicy,
  marker: string,
  origin: ItemOrigin,
  onFailure: () => void,
): Through<Settled, Settled> {
  if (policy === 'abort') return pull.through()
  const note = (settled: Extract<Settled, { ok: false }>): void => {
    onFailure()
    printMessage(`${policy === 'skip' ? 'skipped' : 'marked'}: ${itemFailureMessage(origin, settled)}`)
  }
  return pull(
    pull.filter((settled: Settled) => {
      if (settled.ok || policy !== 'skip') return true
      note(settled)
      return false
    }),
    pull.map((settled: Settled): Settled => {
      if (settled.ok) return settled
      note(settled)
      return { id: settled.id, value: settled.value, ok: true, result: marker }
    }),
  )
}

/** A channel that applies `--on-error` to what it delivers, and counts the items skipped or marked. */
export interface PolicyChannel extends ItemChannel {
  /** The items the function failed on that were skipped or marked so far. */
  failures(): number
}

/** `channel`, delivering through {@link errorPolicy}: the one place `--on-error` applies, whatever the mode. */
export function withErrorPolicy(channel: ItemChannel, policy: ErrorPolicy, marker: string): PolicyChannel {
  let failures = 0
  const through = errorPolicy(policy, marker, channel.origin, () => failures++)
  return {
    ...channel,
    deliver: (results) => channel.deliver(pull(results, through)),
    failures: () => failures,
  }
}
