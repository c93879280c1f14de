import type { Job } from '@pando/protocol'

/** The lender's record of one item read from the input, from its read until it is emitted. */
export interface Item {
  readonly job: Job
  /** Its read position (0 for the first item read), which orders the output. */
  readonly position: number
  /** How many times the user's function failed on it. */
  failures: number
  /** The borrowers whose function failed on it, so that a retry goes elsewhere when it can. */
  failedBy: Set<object> | undefined
}

export function newItem(job: Job, position: number): Item {
  return { job, position, failures: 0, failedBy: undefined }
}
