export { createLender } from './lender.ts'
export type { Lender, LenderOptions, LenderState, LendStreamOptions, Settled, SubStream } from './types.ts'
export type { LenderClock, TimerHandle } from './clock.ts'
export { lendToRemote, type RemoteBorrower } from './remote-borrower.ts'
