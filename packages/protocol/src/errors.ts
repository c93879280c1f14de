import type { SerializedError } from './job.ts'
import { ITEM_TIMEOUT_ERROR, TRANSPORT_LIMIT_ERROR } from './wire-errors.ts'

/** The user's module does not export a processing function in either supported form. */
export class ModuleContractError extends Error {
  static override readonly name = 'ModuleContractError'
  constructor(message: string) {
    super(message)
    this.name = 'ModuleContractError'
  }
}

/** An error raised by the user's function, rebuilt on this side of a boundary. */
export class RemoteError extends Error {
  static override readonly name = 'RemoteError'
  constructor(serialized: SerializedError) {
    super(serialized.message)
    this.name = serialized.name
    if (serialized.stack !== undefined) this.stack = serialized.stack
  }
}

/**
 * Something the code relies on does not hold: a bug of this program (a page built without an element its code
 * needs, a module run the wrong way), never the user's, a peer's or the machine's fault.
 */
export class InvariantError extends Error {
  static override readonly name = 'InvariantError'
  constructor(message: string) {
    super(message)
    this.name = 'InvariantError'
  }
}

/** A message from a peer that is not what the protocol allows. The peer is disconnected with this reason. */
export class ProtocolError extends Error {
  static override readonly name: string = 'ProtocolError'
  constructor(message: string) {
    super(message)
    this.name = 'ProtocolError'
  }
}

/**
 * A message from a peer over its limit, found before it is parsed. A {@link ProtocolError} like any other,
 * but its own close code: WebSocket's 1009 "message too big".
 */
export class MessageTooLargeError extends ProtocolError {
  static override readonly name: string = 'MessageTooLargeError'
  constructor(message: string) {
    super(message)
    this.name = 'MessageTooLargeError'
  }
}

/**
 * True for a {@link ProtocolError} (a {@link MessageTooLargeError} too), also across module copies (checks the
 * name, not the prototype): what a peer is to blame for, as opposed to a bug on this side.
 */
export function isProtocolError(error: unknown): error is ProtocolError {
  return (
    error instanceof Error && (error.name === ProtocolError.name || error.name === MessageTooLargeError.name)
  )
}

/** Turns anything thrown (or passed to a callback) into a plain object that survives JSON and postMessage. */
export function serializeError(error: unknown): SerializedError {
  if (error instanceof Error) {
    return error.stack === undefined
      ? { name: error.name, message: error.message }
      : { name: error.name, message: error.message, stack: error.stack }
  }
  if (typeof error === 'string') return { name: 'Error', message: error }
  let message: string
  try {
    message = JSON.stringify(error) ?? String(error)
  } catch {
    message = String(error)
  }
  return { name: 'Error', message }
}

/**
 * The error of an item that gave no result within the item deadline of `timeoutMs` (`--item-timeout`),
 * saying what became of its computation (`outcome`, e.g. "the Worker was stopped and replaced"): the same
 * name and message shape wherever the item ran.
 */
export function itemTimeoutError(timeoutMs: number, outcome: string): SerializedError {
  return {
    name: ITEM_TIMEOUT_ERROR,
    message: `no result within the item deadline of ${String(timeoutMs)} ms (--item-timeout): ${outcome}`,
  }
}

/**
 * The error of an item, or of its result (`what`), of `chars` characters of JSON: more than `link` (the one
 * it could not cross, e.g. "a link to a volunteer") carries, `maxChars`. A limit of the transport, not a
 * failure of the function: the item fails at once, not retried; the same name and message shape wherever
 * it is found.
 */
export function transportLimitError(
  what: 'item' | 'result',
  chars: number,
  maxChars: number,
  link = 'a link',
): SerializedError {
  return {
    name: TRANSPORT_LIMIT_ERROR,
    message: `the ${what} is ${String(chars)} characters of JSON; ${link} carries at most ${String(maxChars)}`,
  }
}

/** A channel or tree node was used after `close()`: misuse, thrown synchronously. */
export class ClosedError extends Error {
  static override readonly name = 'ClosedError'
  constructor(message = 'closed') {
    super(message)
    this.name = 'ClosedError'
  }
}

/** `send()` on a channel that is not open yet: misuse, thrown synchronously. */
export class NotOpenError extends Error {
  static override readonly name = 'NotOpenError'
  constructor(message = 'channel is not open yet') {
    super(message)
    this.name = 'NotOpenError'
  }
}

/** A peer stayed silent for longer than the heartbeat allows; its channel is closed. */
export class HeartbeatTimeoutError extends Error {
  static override readonly name = 'HeartbeatTimeoutError'
  constructor(heartbeatMs: number) {
    super(`no message for ${String(heartbeatMs)} ms`)
    this.name = 'HeartbeatTimeoutError'
  }
}
