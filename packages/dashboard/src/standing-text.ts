import type { VolunteerStanding } from '@pando/protocol'

const times = (count: number): string => `${String(count)} time${count === 1 ? '' : 's'}`

/**
 * A volunteer's standing in a table cell (runs that replicate or spot-check): `trusted · 12 agreed`,
 * `12 agreed · 1 outvoted · 2 failed (1 timed out)`, or why it was excluded.
 */
export function standingCellText(standing: VolunteerStanding | undefined): string {
  if (standing === undefined) return 'not judged yet'
  if (standing.excluded !== undefined) return `excluded: ${exclusionText(standing)}`
  const { agreed, outvoted, failed, timedOut, trusted } = standing
  const parts = [`${String(agreed)} agreed`]
  if (trusted) parts.unshift('trusted')
  if (outvoted > 0) parts.push(`${String(outvoted)} outvoted`)
  if (failed > 0)
    parts.push(`${String(failed)} failed${timedOut > 0 ? ` (${String(timedOut)} timed out)` : ''}`)
  return parts.join(' · ')
}

/** Why a volunteer was excluded, short: `outvoted 3 times, agreed 0` or `caught by a spot check`. */
export function exclusionText(standing: VolunteerStanding): string {
  if (standing.caught > 0) return 'caught by a spot check'
  return `outvoted ${times(standing.outvoted)}, agreed ${String(standing.agreed)}`
}

/** Whether the standing is a worry: outvoted, or excluded. */
export function isDoubted(standing: VolunteerStanding | undefined): boolean {
  return standing !== undefined && (standing.outvoted > 0 || standing.excluded !== undefined)
}
