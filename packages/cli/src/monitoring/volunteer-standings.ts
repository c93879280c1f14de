import { MAX_EXCLUSION_REASON_LENGTH, MAX_MONITORED_ID_LENGTH, type VolunteerStanding } from '@pando/protocol'
import type { StandingSnapshot } from '@pando/scheduler'
import { debugTrust } from './debug-log.ts'
import { terminalText } from '../terminal-text.ts'
import { PEER_NAME_CHARS } from '../constants.ts'

/** A volunteer's standing as the dashboards are told it (its name is its id, cut to what the feed takes). */
export function toVolunteerStanding(standing: StandingSnapshot): VolunteerStanding {
  const { name, agreed, outvoted, caught, failed, timedOut, trusted, excluded } = standing
  return {
    id: name.slice(0, MAX_MONITORED_ID_LENGTH),
    agreed,
    outvoted,
    caught,
    failed,
    timedOut,
    trusted,
    ...(excluded === undefined ? {} : { excluded: excluded.slice(0, MAX_EXCLUSION_REASON_LENGTH) }),
  }
}

/** One volunteer's standing in words: `'v3' agreed 12, outvoted 0, failed 1 (1 timed out), trusted`. */
export function standingLine(standing: VolunteerStanding): string {
  const { id, agreed, outvoted, caught, failed, timedOut, trusted, excluded } = standing
  const parts = [
    `agreed ${String(agreed)}`,
    `outvoted ${String(outvoted)}${caught > 0 ? ` (${String(caught)} by a spot check)` : ''}`,
    `failed ${String(failed)}${timedOut > 0 ? ` (${String(timedOut)} timed out)` : ''}`,
  ]
  if (trusted) parts.push('trusted')
  if (excluded !== undefined) parts.push(`excluded: ${terminalText(excluded, MAX_EXCLUSION_REASON_LENGTH)}`)
  return `'${terminalText(id, PEER_NAME_CHARS)}' ${parts.join(', ')}`
}

/**
 * With `DEBUG=pando-computing:trust`, a line for each volunteer whose standing changed since the last
 * status (`'v3' agreed 12, outvoted 0, failed 0`): returns what logs them, status after status.
 */
export function standingsDebugLog(): (standings: readonly VolunteerStanding[]) => void {
  const told = new Map<string, string>()
  return (standings) => {
    if (!debugTrust.enabled) return
    for (const standing of standings) {
      const line = standingLine(standing)
      if (told.get(standing.id) === line) continue
      told.set(standing.id, line)
      debugTrust('%s', line)
    }
  }
}
