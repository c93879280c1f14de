import { COPY_SLOTS } from '@pando/scheduler'
import { UsageError } from './errors.ts'
import type { OptionValues } from './option-table.ts'

/** `--replicas` and `--max-replicas`, checked. */
export interface TrustOptions {
  /** Distinct volunteers whose answers must agree on an item (1: no replication). */
  readonly replicas: number
  /** The most copies of an item when its answers disagree. */
  readonly maxReplicas: number
}

/**
 * Reads `--replicas` and `--max-replicas` (0: twice `--replicas` plus one, at most 64). Replication needs
 * volunteers: `--local` computes every item once, in this process. @throws {UsageError}
 */
export function trustOptions(values: OptionValues): TrustOptions {
  const replicas = values.replicas
  const given = values['max-replicas']
  const maxReplicas = given === 0 ? Math.min(COPY_SLOTS, 2 * replicas + 1) : given
  if (maxReplicas < replicas || maxReplicas > COPY_SLOTS) {
    throw new UsageError(
      `--max-replicas must be from --replicas (${String(replicas)}) to ${String(COPY_SLOTS)}, not ${String(given)} (see 'pando --help')`,
    )
  }
  if (replicas > 1 && values.local) {
    throw new UsageError(
      '--replicas needs volunteers to compare: --local computes every item once, in this process (drop one of them)',
    )
  }
  return { replicas, maxReplicas }
}
