import type { Settled } from '@pando/scheduler'
import pull, { type Through } from 'pull-stream'
import { printMessage } from './exit.ts'
import { itemFailureMessage, type ItemOrigin } from './item-label.ts'

/** `--on-error`: what becomes of an item the function still fails on after the retries. */
export type ErrorPolicy = 'abort' | 'skip' | 'mark'

/**
 * Applies `--on-error` to the settled items: `abort` lets a failed item through (the channel then stops at
 * it), `skip` drops it, `mark` turns it into the marker line; both name it on stderr.
 */
export function errorPolicy(
  policy: ErrorPolicy,
  marker: string,
  origin: ItemOrigin,
): Through<Settled, Settled> {
  if (policy === 'abort') return pull.through()
  const note = (settled: Extract<Settled, { ok: false }>): void =>
    printMessage(`${policy === 'skip' ? 'skipped' : 'marked'}: ${itemFailureMessage(origin, settled)}`)
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
