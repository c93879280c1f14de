import type { Outcome } from '@pando/protocol'
import type { PackedJobs, PackedOutcomes } from './packed-batch.ts'
import type { WorkerFigures } from './worker-figures.ts'

/** What a batch gives back: its outcomes, and the Worker's monitoring figures since the last batch. */
export interface BatchResult {
  /**
   * From the Worker, those not already sent in a {@link ProgressMessage}; from `WorkerClient.process`, which
   * gathers both, one per job.
   */
  readonly outcomes: Outcome[]
  /** Items timed in the Worker and the module's `report()` calls, since the previous batch ended. */
  readonly figures: WorkerFigures
}

/** The `type` of a {@link ProgressMessage}. */
export const PROGRESS_MESSAGE_TYPE = 'pando:progress'

/**
 * What the Worker posts on its own scope, beside comlink's messages (it has no `id`, so comlink ignores it),
 * while it runs a batch: it made progress (an item started or settled), and these items settled since its
 * previous message. The page's item deadline counts from the latest one. Messages and the batch's reply go
 * through the same port, so they arrive in order.
 */
export interface ProgressMessage {
  readonly type: typeof PROGRESS_MESSAGE_TYPE
  readonly outcomes: PackedOutcomes
}

/** What the Worker's `process` resolves with: its outcomes not posted yet, and its figures. */
export interface PackedBatchResult {
  readonly outcomes: PackedOutcomes
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
   * Processes a batch: every job starts at once (so async functions overlap), and each one gets an outcome,
   * in a {@link ProgressMessage} or in the result; a function that throws or calls back with an error gives
   * an `ok: false` outcome, never a rejection.
   */
  process(jobs: PackedJobs): Promise<PackedBatchResult>
  /** Answers when the Worker's event loop is free: tells a Worker stuck in a loop from a waiting one. */
  ping(): Promise<void>
}
