import pull, {
  type Abort,
  type Duplex,
  type EndOrError,
  type Sink,
  type Source,
  type SourceCallback,
} from 'pull-stream'

/**
 * The messages of the original Pando's pull-sync protocol (elavoie/pull-sync), one per line of the transport.
 * Each side sends `hello` first; `ready` once its sink is connected (it has values to give); `ask` when its
 * source is read and `abort` when its source is aborted; and, answering each `ask` of the peer, `value`
 * followed by the JSON of one value, or `end` followed by `true` (the end) or by the JSON of an error message.
 */
export const SYNC_MESSAGE = {
  value: '0',
  end: '1',
  ask: '2',
  abort: '3',
  ready: '4',
  hello: '5 pull-sync: missing sync',
} as const

/**
 * One side of a pull-sync connection. Values flow only when asked for, one at a time, so the connection
 * carries the backpressure of pull-streams between processes whose transport has none (stdio, WebSocket).
 */
export interface SyncEndpoint {
  /** The values the peer sends: reading it asks the peer for one. */
  readonly source: Source<unknown>
  /** The values to send to the peer: it is read once per ask of the peer. */
  readonly sink: Sink<unknown>
  /**
   * Stops now, without waiting for the peer: the messages already queued are still sent, then the stream of
   * messages to send ends. Idempotent.
   */
  finish(): void
}

/**
 * Speaks pull-sync over `transport`, whose source gives the messages received and whose sink takes the
 * messages to send. When both directions in use have ended (or the transport's source ends), the stream of
 * messages to send ends too, so the caller knows every message has been handed over.
 */
export function createPullSync(transport: Duplex<string, string>): SyncEndpoint {
  return new PullSyncConnection(transport)
}

/** A value received from the peer, or how its values ended, waiting for the reader of our source. */
interface Received {
  readonly end: EndOrError
  readonly value?: unknown
}

/**
 * One pull-sync connection: what each side said (hello, ready, ended), the messages waiting for the
 * transport's sink (the outbox), the values received waiting for our source's reader (the inbox), and the
 * peer's asks waiting for our sink's source. `source`, `sink` and `finish` are bound: they are passed around
 * as pull-streams are.
 */
class PullSyncConnection implements SyncEndpoint {
  readonly #transport: Duplex<string, string>
  /** The values to send to the peer, once our sink is connected. */
  #upstream: Source<unknown> | undefined
  /** Whether the peer said hello. */
  #remoteConnected = false
  /** Whether the peer's sink is connected (it has values to give). */
  #remoteReady = false
  /** How the peer's values ended (null while they go on). */
  #remoteEnded: EndOrError = null
  /** Whether our sink is connected. */
  #ready = false
  /** How our values ended (null while they go on). */
  #ended: EndOrError = null
  /** Why the connection closed (null while it is open): the outbox ends once empty, our source ends. */
  #closed: EndOrError = null
  /** Whether the transport's source is being read. */
  #listening = false

  /** Messages to send, taken one at a time by the transport's sink. */
  readonly #outbox: string[] = [SYNC_MESSAGE.hello]
  #outboxReader: SourceCallback<string> | undefined
  /** Values and ends received, waiting for the reader of our source. */
  readonly #inbox: Received[] = []
  #valueReader: SourceCallback<unknown> | undefined
  /** The peer's asks (`true`: an abort), served one at a time, as a pull-stream source is read. */
  readonly #asks: Abort[] = []
  /** Whether our sink's source is being read for an ask. */
  #reading = false

  constructor(transport: Duplex<string, string>) {
    this.#transport = transport
    transport.sink((abort, cb) => {
      if (abort) {
        // The transport takes no more messages (stdout closed).
        this.#close(abort)
        cb(abort)
        return
      }
      this.#outboxReader = cb
      this.#flushOutbox()
    })
  }

  readonly source: Source<unknown> = (abort, cb) => {
    if (this.#closed) return cb(this.#closed)
    if (this.#remoteEnded) return cb(this.#remoteEnded)
    this.#listen()
    this.#valueReader = cb
    this.#send(abort ? SYNC_MESSAGE.abort : SYNC_MESSAGE.ask)
    this.#flushInbox()
  }

  readonly sink: Sink<unknown> = (read) => {
    this.#upstream = read
    this.#ready = true
    this.#send(SYNC_MESSAGE.ready)
    this.#listen()
    this.#serveAsks()
  }

  readonly finish = (): void => {
    this.#close(this.#ended ?? true)
  }

  /** Hands the next message to the transport's sink if it waits for one, or the end once closed and empty. */
  #flushOutbox(): void {
    const reader = this.#outboxReader
    if (reader === undefined) return
    const message = this.#outbox.shift()
    if (message === undefined && !this.#closed) return
    this.#outboxReader = undefined
    if (message === undefined) reader(true)
    else reader(null, message)
  }

  #send(message: string): void {
    this.#outbox.push(message)
    this.#flushOutbox()
  }

  /** Hands the oldest value or end received to the reader of our source, if one waits. */
  #flushInbox(): void {
    const reader = this.#valueReader
    const received = this.#inbox.shift()
    if (reader === undefined || received === undefined) {
      if (received !== undefined) this.#inbox.unshift(received)
      return
    }
    this.#valueReader = undefined
    reader(received.end, received.value)
  }

  #deliver(end: EndOrError, value?: unknown): void {
    this.#inbox.push({ end, value })
    this.#flushInbox()
  }

  /** Closes the connection: a waiting reader of our source gets `reason`, the outbox ends once empty. */
  #close(reason: EndOrError): void {
    if (this.#closed) return
    this.#closed = reason ?? true
    if (this.#valueReader !== undefined) this.#deliver(this.#closed)
    this.#flushOutbox()
  }

  /** Closes the connection once the peer said hello and both directions in use have ended. */
  #checkClosed(): void {
    if (this.#closed || !this.#remoteConnected || !(this.#remoteReady || this.#ready)) return
    if ((this.#remoteReady && !this.#remoteEnded) || (this.#ready && !this.#ended)) return
    this.#close(this.#ended ?? this.#remoteEnded)
  }

  /** Answers the peer's oldest ask with a value (or the end) read from our sink's source. */
  #serveAsks(): void {
    const upstream = this.#upstream
    if (this.#reading || upstream === undefined) return
    const abort = this.#asks.shift()
    if (abort === undefined) return
    this.#reading = true
    upstream(abort, (end, value) => {
      this.#reading = false
      if (end) {
        this.#ended = end
        this.#send(SYNC_MESSAGE.end + JSON.stringify(end === true ? true : endReason(end)))
      } else {
        this.#send(SYNC_MESSAGE.value + JSON.stringify(value))
      }
      this.#checkClosed()
      this.#serveAsks()
    })
  }

  /** One message of the peer's. */
  #receive(message: string): void {
    const body = message.slice(1)
    if (message === SYNC_MESSAGE.hello) this.#remoteConnected = true
    else if (message[0] === SYNC_MESSAGE.value) this.#deliver(...parseValue(body))
    else if (message[0] === SYNC_MESSAGE.end) this.#deliver((this.#remoteEnded = parseEnd(body)))
    else if (message[0] === SYNC_MESSAGE.ask || message[0] === SYNC_MESSAGE.abort) {
      this.#asks.push(message[0] === SYNC_MESSAGE.abort)
      this.#serveAsks()
    } else if (message[0] === SYNC_MESSAGE.ready) this.#remoteReady = true
    // Anything else is ignored, as the original does.
    this.#checkClosed()
  }

  /** Reads the transport's source, from a direction's first use until it ends or the connection closes. */
  #listen(): void {
    if (this.#listening) return
    this.#listening = true
    pull(
      this.#transport.source,
      pull.drain(
        (message: string) => {
          this.#receive(message)
          return !this.#closed
        },
        (end) => {
          // The peer hung up (or we stopped listening once closed): give up on both directions.
          const reason = end ?? true
          const upstream = this.#upstream
          if (upstream !== undefined && !this.#ended && !this.#closed) upstream(reason, () => undefined)
          this.#close(reason)
        },
      ),
    )
  }
}

function endReason(end: Exclude<EndOrError, null | boolean>): unknown {
  return end instanceof Error ? end.message || true : end
}

function parseValue(body: string): [EndOrError, unknown?] {
  try {
    return [null, JSON.parse(body)]
  } catch {
    return [new Error(`pull-sync: the peer sent a value that is not JSON: ${body.slice(0, 60)}`)]
  }
}

function parseEnd(body: string): EndOrError {
  let reason: unknown
  try {
    reason = JSON.parse(body)
  } catch {
    return new Error(`pull-sync: the peer ended with a malformed message: ${body.slice(0, 60)}`)
  }
  if (reason === true) return true
  return new Error(`Remote error: ${typeof reason === 'string' ? reason : JSON.stringify(reason)}`)
}
