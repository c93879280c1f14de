import type { Settled } from '@pando/scheduler'
import pull, { type Through } from 'pull-stream'

/** `--tag`: each result written after its item and a tab, as GNU parallel's `--tag`. */
export function tagResults(): Through<Settled, Settled> {
  return pull.map((settled: Settled): Settled =>
    settled.ok ? { ...settled, result: `${settled.value}\t${settled.result}` } : settled,
  )
}
