export { createLender } from './lender.ts'
export type { Lender, LenderOptions, LenderState, LendStreamOptions, Settled, SubStream } from './types.ts'
export { lendToRemote, type RemoteBorrower } from './remote-borrower.ts'
