import type { Job, Outcome } from '@pando/protocol'
import type { WorkerFigures } from './worker-figures.ts'

/** What a batch gives back: an outcome per job, and the Worker's monitoring figures since the last batch. */
export interface BatchResult {
  readonly outcomes: Outcome[]
  /** Items timed in the Worker and the module's `report()` calls, since the previous batch ended. */
  readonly figures: WorkerFigures
}

/** What the Worker exposes to the page through comlink. Kept apart from `worker.ts`, whose globals are a Worker's. */
export interface WorkerApi {
  /**
   * Loads the user's bundle with `importScripts` and finds its processing function.
   * @param bundleUrl absolute URL of the bundle
   * @throws the `ModuleContractError` (or load error) when the bundle cannot be used
   */
  load(bundleUrl: string): Promise<void>
  /**
   * Processes a batch: every job starts at once (so async functions overlap), and each one gets an outcome;
   * a function that throws or calls back with an error gives an `ok: false` outcome, never a rejection.
   */
  process(jobs: readonly Job[]): Promise<BatchResult>
}
