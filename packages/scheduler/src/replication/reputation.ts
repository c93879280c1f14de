import { EXCLUDE_AFTER_OUTVOTED, EXCLUDE_OUTVOTED_SHARE, TRUSTED_AFTER_AGREED } from '../constants.ts'

/** What the run knows of one volunteer's results (SPEC 56). */
export interface Standing {
  /**
   * The volunteer: a tab, by the id the root knows it by (a WebSocket volunteer's id; a tree tab's node id,
   * as its outcomes name it, at any depth).
   */
  readonly name: string
  /** Items where its result was the one agreed. */
  agreed: number
  /** Items where its result lost the vote, or differed from the root's own (a spot check). */
  outvoted: number
  /** Of those, the spot checks it failed (its result differed from the root's own). */
  caught: number
  /** Attempts it answered with the function's failure, each one (an item retried elsewhere counts too). */
  failed: number
  /** Of those, the item timeouts (`ItemTimeoutError`). */
  timedOut: number
  /** Set once it is excluded: why. */
  excluded?: string
}

/** A volunteer's standing at one moment, as the lender tells it (a copy: it does not change after). */
export interface StandingSnapshot extends Readonly<Standing> {
  /** Under adaptive replication (SPEC 58): its answers are taken alone, but for random re-checks. */
  readonly trusted: boolean
}

/** Each volunteer's standing for the run, by name. */
export class Reputation {
  readonly #standings = new Map<string, Standing>()

  /** `name`'s standing, created at its first mention. */
  of(name: string): Standing {
    let standing = this.#standings.get(name)
    if (standing === undefined) {
      standing = { name, agreed: 0, outvoted: 0, caught: 0, failed: 0, timedOut: 0 }
      this.#standings.set(name, standing)
    }
    return standing
  }

  /**
   * Every volunteer that took part, in order of first mention, as it stands now; `adaptive`: whether trust
   * lets a volunteer compute alone (SPEC 58), else none is `trusted`.
   */
  all(adaptive: boolean): StandingSnapshot[] {
    return [...this.#standings.values()].map((standing) => ({
      ...standing,
      trusted: adaptive && this.isTrusted(standing.name),
    }))
  }

  isExcluded(name: string): boolean {
    return this.#standings.get(name)?.excluded !== undefined
  }

  /** Whether `name` has earned trust (SPEC 58): agreed often, never outvoted, not excluded. */
  isTrusted(name: string): boolean {
    const standing = this.#standings.get(name)
    if (standing === undefined || standing.excluded !== undefined) return false
    return standing.agreed >= TRUSTED_AFTER_AGREED && standing.outvoted === 0
  }

  /** Whether `name` has now been outvoted often enough to be excluded (and is not yet). */
  deservesExclusion(name: string): boolean {
    const { agreed, outvoted, excluded } = this.of(name)
    if (excluded !== undefined) return false
    return outvoted >= EXCLUDE_AFTER_OUTVOTED && outvoted > EXCLUDE_OUTVOTED_SHARE * (agreed + outvoted)
  }
}
