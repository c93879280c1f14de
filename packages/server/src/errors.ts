import { CLOSE_PROTOCOL_ERROR } from '@pando/protocol'

// Every class sets `name` to its own name: compare `err.name`, not `instanceof`, across bundles.

/**
 * Why a message from a root ends its link: sent to the root in an `error`, then the link closes with `code`
 * (a protocol error unless the refusal is of another kind, e.g. "try again later").
 */
export class LinkError extends Error {
  static override readonly name = 'LinkError'
  constructor(
    message: string,
    readonly code = CLOSE_PROTOCOL_ERROR,
  ) {
    super(message)
    this.name = 'LinkError'
  }
}
