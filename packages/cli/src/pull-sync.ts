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
// eslint-disable-next-line max-lines-per-function -- issue 19: createPullSync is still to be split
export function createPullSync(transport: Duplex<string, string>): SyncEndpoint {
  let upstream: Source<unknown> | undefined
  let remoteConnected = false
  let remoteReady = false
  let remoteEnded: EndOrError = null
  let ready = false
  let ended: EndOrError = null
  let closed: EndOrError = null
  let listening = false

  // Messages to send, taken one at a time by the transport's sink.
  const outbox: string[] = [SYNC_MESSAGE.hello]
  let outboxReader: SourceCallback<string> | undefined
  const flushOutbox = (): void => {
    const reader = outboxReader
    if (reader === undefined) return
    const message = outbox.shift()
    if (message === undefined && !closed) return
    outboxReader = undefined
    if (message === undefined) reader(true)
    else reader(null, message)
  }
  const send = (message: string): void => {
    outbox.push(message)
    flushOutbox()
  }

  // Values and ends received, waiting for the reader of our source.
  const inbox: Array<{ end: EndOrError; value?: unknown }> = []
  let valueReader: SourceCallback<unknown> | undefined
  const flushInbox = (): void => {
    const reader = valueReader
    const received = inbox.shift()
    if (reader === undefined || received === undefined) {
      if (received !== undefined) inbox.unshift(received)
      return
    }
    valueReader = undefined
    reader(received.end, received.value)
  }
  const deliver = (end: EndOrError, value?: unknown): void => {
    inbox.push({ end, value })
    flushInbox()
  }

  const close = (reason: EndOrError): void => {
    if (closed) return
    closed = reason ?? true
    if (valueReader !== undefined) deliver(closed)
    flushOutbox()
  }
  const checkClosed = (): void => {
    if (closed || !remoteConnected || !(remoteReady || ready)) return
    if ((remoteReady && !remoteEnded) || (ready && !ended)) return
    close(ended ?? remoteEnded)
  }

  // The peer's asks, served one at a time (a pull-stream source takes one read at a time).
  const asks: Abort[] = []
  let reading = false
  const serveAsks = (): void => {
    if (reading || upstream === undefined) return
    const abort = asks.shift()
    if (abort === undefined) return
    reading = true
    upstream(abort, (end, value) => {
      reading = false
      if (end) {
        ended = end
        send(SYNC_MESSAGE.end + JSON.stringify(end === true ? true : endReason(end)))
      } else {
        send(SYNC_MESSAGE.value + JSON.stringify(value))
      }
      checkClosed()
      serveAsks()
    })
  }

  const receive = (message: string): void => {
    const body = message.slice(1)
    if (message === SYNC_MESSAGE.hello) remoteConnected = true
    else if (message[0] === SYNC_MESSAGE.value) deliver(...parseValue(body))
    else if (message[0] === SYNC_MESSAGE.end) deliver((remoteEnded = parseEnd(body)))
    else if (message[0] === SYNC_MESSAGE.ask || message[0] === SYNC_MESSAGE.abort) {
      asks.push(message[0] === SYNC_MESSAGE.abort)
      serveAsks()
    } else if (message[0] === SYNC_MESSAGE.ready) remoteReady = true
    // Anything else is ignored, as the original does.
    checkClosed()
  }

  const listen = (): void => {
    if (listening) return
    listening = true
    pull(
      transport.source,
      pull.drain(
        (message: string) => {
          receive(message)
          return !closed
        },
        (end) => {
          // The peer hung up (or we stopped listening once closed): give up on both directions.
          const reason = end ?? true
          if (upstream !== undefined && !ended && !closed) upstream(reason, () => undefined)
          close(reason)
        },
      ),
    )
  }

  transport.sink((abort, cb) => {
    if (abort) {
      // The transport takes no more messages (stdout closed).
      close(abort)
      cb(abort)
      return
    }
    outboxReader = cb
    flushOutbox()
  })

  return {
    source(abort, cb) {
      if (closed) return cb(closed)
      if (remoteEnded) return cb(remoteEnded)
      listen()
      valueReader = cb
      send(abort ? SYNC_MESSAGE.abort : SYNC_MESSAGE.ask)
      flushInbox()
    },
    sink(read) {
      upstream = read
      ready = true
      send(SYNC_MESSAGE.ready)
      listen()
      serveAsks()
    },
    finish() {
      close(ended ?? true)
    },
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
