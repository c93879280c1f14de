/**
 * One item on its way to a volunteer. The root numbers items 0, 1, 2… in input order; every node keeps
 * the id, so a result can be matched to its item wherever and whenever it comes back.
 */
export interface Job {
  /** Assigned by the root, unique within a run. */
  readonly id: number
  /** The item: one line of input, or one argument. */
  readonly value: string
  /**
   * Tabs that must not compute this job (a copy of a replicated item: the tabs that answered its other
   * copies; scheduler SPEC 53). Travels down tree links only; a tab passes the job on to a branch that has
   * a tab not named here.
   */
  readonly avoid?: readonly string[]
}

/** An error as it crosses a Worker, WebSocket or data-channel boundary. */
export interface SerializedError {
  readonly name: string
  readonly message: string
  readonly stack?: string
}

/**
 * What a borrower answers for one job: the result, already formatted as an output line, or the error the
 * user's function raised on it. A failure of the borrower itself (a closed tab) is no outcome: it is the end
 * of its sub-stream.
 */
export type Outcome = (
  | { readonly id: number; readonly ok: true; readonly result: string }
  | { readonly id: number; readonly ok: false; readonly error: SerializedError }
) & {
  /**
   * The tab that computed it, as the outcomes of a tree link name it (`tab-attribution.ts`): each parent
   * checks it against the tabs its child's reports name, and names the child itself otherwise.
   */
  readonly by?: string
}
