import { MAX_REPLICAS } from '@pando/scheduler'
import { UsageError } from './errors.ts'
import type { OptionValues } from './option-table.ts'
import { MOST_REPLICAS } from './constants.ts'

/** `--replicas` (a number, or auto), `--max-replicas` and `--spot-check`, checked. */
export interface TrustOptions {
  /** `--replicas auto`: adaptive replication (`replicas` is then the answers a doubted item needs, 2). */
  readonly adaptive: boolean
  /** The share of items this process computes too, as ground truth (0: none). */
  readonly spotCheck: number
  /** Distinct volunteers whose answers must agree on an item (1: no replication). */
  readonly replicas: number
  /** The most copies of an item when its answers disagree. */
  readonly maxReplicas: number
}

/**
 * Reads `--replicas`, `--max-replicas` and `--spot-check` (0: twice `--replicas` plus one, at most 63). Replication needs
 * volunteers: `--local` computes every item once, in this process. @throws {UsageError}
 */
export function trustOptions(values: OptionValues): TrustOptions {
  const adaptive = values.replicas.trim() === 'auto'
  const replicas = adaptive ? 2 : parseReplicas(values.replicas)
  const given = values['max-replicas']
  const maxReplicas = given === 0 ? Math.min(MAX_REPLICAS, 2 * replicas + 1) : given
  if (maxReplicas < replicas || maxReplicas > MAX_REPLICAS) {
    throw new UsageError(
      `--max-replicas must be from --replicas (${String(replicas)}) to ${String(MAX_REPLICAS)}, not ${String(given)} (see 'pando --help')`,
    )
  }
  if ((adaptive || replicas > 1) && values.local) {
    throw new UsageError(
      '--replicas needs volunteers to compare: --local computes every item once, in this process (drop one of them)',
    )
  }
  const spotCheck = parseShare(values['spot-check'])
  if (spotCheck > 0 && (values.local || !values['start-idle'])) {
    throw new UsageError(
      `--spot-check needs volunteers to check, and this process apart as the judge: not with ${values.local ? '--local' : '--no-start-idle'}`,
    )
  }
  return { replicas, maxReplicas, spotCheck, adaptive }
}

/** `--replicas N`: a whole number from 1 to 32. @throws {UsageError} */
function parseReplicas(text: string): number {
  const replicas = /^\d+$/.test(text.trim()) ? Number(text) : Number.NaN
  if (!(replicas >= 1 && replicas <= MOST_REPLICAS)) {
    throw new UsageError(
      `--replicas must be a whole number from 1 to ${String(MOST_REPLICAS)}, or auto, not ${JSON.stringify(text)} (see 'pando --help')`,
    )
  }
  return replicas
}

/** A share from 0 to 1 (`0.05`, `1`, `.5`). @throws {UsageError} */
function parseShare(text: string): number {
  const share = /^(?:\d+(?:\.\d*)?|\.\d+)$/.test(text.trim()) ? Number(text) : Number.NaN
  if (!(share >= 0 && share <= 1)) {
    throw new UsageError(
      `--spot-check must be a share from 0 to 1, e.g. 0.05, not ${JSON.stringify(text)} (see 'pando --help')`,
    )
  }
  return share
}
