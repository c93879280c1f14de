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

/**
 * A volunteer outvoted this many times, and on more than `EXCLUDE_OUTVOTED_SHARE` of the items it took part
 * in, is excluded (SPEC 56): one disagreement may be a fault of the vote (two liars agreeing), two are a habit.
 */
export const EXCLUDE_AFTER_OUTVOTED = 2

/** The share of its judged items a volunteer may be outvoted on and stay. */
export const EXCLUDE_OUTVOTED_SHARE = 0.1

/**
 * Adaptive replication (SPEC 58): a volunteer whose answers were agreed on this many items, and never
 * outvoted, is trusted: an item it answers is taken on its word, but for random re-checks.
 */
export const TRUSTED_AFTER_AGREED = 10

/** Adaptive replication: the share of a trusted volunteer's answers that are checked all the same. */
export const TRUSTED_RECHECK_SHARE = 0.1

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
