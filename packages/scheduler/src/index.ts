export { createLender } from './lender.ts'
export type {
  Lender,
  LenderOptions,
  LenderState,
  LendStreamOptions,
  Placement,
  Settled,
  SubStream,
} from './types.ts'
export type { LenderClock, TimerHandle } from './clock.ts'
export { lendToRemote, type RemoteBorrower, type RemoteLendingOptions } from './remote-borrower.ts'
export { ChildLending, type ChildChannel, type LendingChild } from './child-lending.ts'
export {
  adaptiveBatchSizing,
  batchSizing,
  fixedBatchSizing,
  type BatchSize,
  type BatchSizing,
} from './batch-sizing.ts'
export { DiscreditedError } from './errors.ts'
export { earnedCredit, unprovenCredit } from './remote-borrower.ts'
export { CaughtError, OutvotedError, DISAGREEMENT_ERROR, StreamMisuseError, isExclusion } from './errors.ts'
export {
  createReplicatingLender,
  type ReplicatingLender,
  type ReplicationOptions,
} from './replication/replicating-lender.ts'
export type { Standing, StandingSnapshot } from './replication/reputation.ts'
export { MAX_REPLICAS } from './replication/copy-ids.ts'
