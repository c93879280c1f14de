import type { VolunteerReport } from '@pando/protocol'

/**
 * What the root's endpoints are given by the program that runs them (the CLI), rather than import: where
 * they report a bug of their own, where the volunteers' status reports go, and who counts and announces the
 * volunteers. Each endpoint hands over the volunteers' own words (names, reasons) as they came: the one
 * that prints them makes them safe for where it prints.
 */

/** Reports a bug of the root's own (not the peer's doing), `while_` being what it was doing. */
export type InternalErrorReporter = (while_: string, error: unknown) => void

/**
 * Where the volunteers' status reports go, each filed under the link it came by (a WebSocket volunteer's
 * socket, a tree child's channel), so that a link that closes takes its volunteers' entries along.
 */
export interface ReportSink {
  /** Files `reports` (one per volunteer, the latest wins) under `link`, replacing what it sent before. */
  update(link: unknown, reports: readonly VolunteerReport[]): void
  /** Counts `count` outcomes that came by `link`. */
  countOutcomes(link: unknown, count: number): void
  /** Forgets what `link` reported: it closed. */
  remove(link: unknown): void
}

/** A volunteer a tree child's status names: its id, and its label (`volunteerLabel`), in its own words. */
export interface NamedVolunteer {
  readonly id: string
  readonly label: string
}

/** Who counts the volunteers of each link and announces their joins and leaves. */
export interface Roster {
  /** A link joined with `size` volunteers (a tree child: its subtree), named `name` when known. */
  join(link: unknown, size: number, name?: string): void
  /** The link now carries `size` volunteers. */
  resize(link: unknown, size: number): void
  /** The volunteers a link's status names. */
  named(link: unknown, volunteers: readonly NamedVolunteer[]): void
  /** The link closed, for `reason`. */
  leave(link: unknown, reason: string): void
}
